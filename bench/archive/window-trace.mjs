// Traces the fresh-streams window of the modern client under the throughput scenario's pump:
// `node bench/archive/window-trace.mjs [floats...]` prints, per size (the first one twice, as a
// warm-up), frames/s, CPU per frame of Chromium (its whole process group, from /proc) and of the
// host, pump turns, and the window / bytes in flight seen by the host at each pump turn; fresh
// streams on and off. TRACE_CLIENTS=modern,modern-fc-off picks clients, TRACE_HOST='{json}' host options.
import { client as clientByName } from '../lib/clients.mjs';
import { startBenchServer } from '../lib/bench-server.mjs';
import { withSession } from '../lib/session.mjs';
import { readdirSync, readFileSync } from 'node:fs';
import { median } from '../lib/stats.mjs';

/** CPU ms used so far by the processes of process group `pgid` (Chromium's browser, renderer, network...). */
function groupCpuMs(pgid) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10;
}

const sizes = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const durationMs = 1500;

function page({ client, report }) {
  let frames = 0;
  let t0 = 0;
  client.onFloats((id, data) => {
    if (data[0] < 0) {
      report('size', { frames, ms: performance.now() - t0 });
      frames = 0;
      return;
    }
    if (frames++ === 0) t0 = performance.now();
  });
  report('ready', {});
}

async function pump(host, floats, trace) {
  const frame = new Float32Array(floats).fill(0.25);
  const end = performance.now() + durationMs;
  let turns = 0;
  let waits = 0;
  while (performance.now() < end) {
    let burst = 0;
    while (burst < 256 && host.buffered() < 256 * 1024) {
      host.sendFloats('f', frame);
      burst++;
    }
    const stats = host.webView.pages[0]?.streamStats;
    if (stats) trace.push([stats.windowBytes, stats.bytesInFlight]);
    turns++;
    if (burst > 0) await new Promise(setImmediate);
    else {
      waits++;
      await (host.waitForRoom?.() ?? new Promise((r) => setTimeout(r, 1)));
    }
  }
  frame[0] = -1;
  await host.waitForRoom?.();
  host.sendFloats('f', frame);
  return { turns, waits };
}

const server = await startBenchServer();
try {
  for (const name of (process.env.TRACE_CLIENTS ?? 'modern,modern-fc-off').split(',')) {
    await withSession({ adapter: clientByName(name), server, scenario: page, hostOptions: JSON.parse(process.env.TRACE_HOST ?? '{}') }, async ({ host, browsers }) => {
      for (const floats of [sizes[0], ...sizes]) {
        const trace = [];
        const cpu0 = groupCpuMs(browsers[0].pid);
        const host0 = process.cpuUsage();
        const p = await pump(host, floats, trace);
        const got = await server.next('size', 60_000);
        const hostCpu = process.cpuUsage(host0);
        const pageUsPerFrame = ((groupCpuMs(browsers[0].pid) - cpu0) * 1000) / (got.frames || 1);
        const hostUsPerFrame = (hostCpu.user + hostCpu.system) / (got.frames || 1);
        const windows = trace.map((t) => t[0]);
        const flights = trace.map((t) => t[1]);
        console.log(name, floats, Math.round((got.frames / got.ms) * 1000), 'fps', 'cpu us/frame chromium', Math.round(pageUsPerFrame), 'host', Math.round(hostUsPerFrame), JSON.stringify(p), 'window med', median(windows), 'max', Math.max(0, ...windows), 'inFlight med', median(flights));
      }
    });
  }
} finally {
  await server.close();
}
