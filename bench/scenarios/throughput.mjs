// Scenario 1: host → page stream throughput (frames/s, MB/s) per client and frame size.
//
// The host sends frames as fast as backpressure allows: it keeps at most WINDOW bytes buffered in
// userland (ws.bufferedAmount / page.bufferedBytes; the kernel's socket buffers hold more), so the
// pipe is always full but bounded, and it records how much of the time it was waiting on a full
// pipe (hostWaitShare near 1 = the page is the bottleneck, as intended). The page counts frames
// received over its own wall time, after a warm-up, reading every frame's first and last sample.
import { client as clientByName, CLIENTS } from '../lib/clients.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, round, sleep } from '../lib/stats.mjs';

export const SIZES = [128, 512, 2048, 8192];
const WINDOW_BYTES = 256 * 1024; // below the WebView's 1 MiB high-water mark: nothing is coalesced
const WARM_FRAMES = 200;

/** Page side (runs in Chromium). */
function throughputPage({ params, client, report }) {
  let warm = 0;
  let frames = 0;
  let t0 = 0;
  let t1 = 0;
  let acc = 0;
  let lastSeq = -1;
  let outOfOrder = 0;
  let floats = 0;
  client.onFloats((id, data) => {
    const seq = data[0];
    if (seq < 0) {
      report('size', { frames, ms: t1 - t0, received: warm + frames, outOfOrder, floats, acc });
      warm = frames = acc = outOfOrder = 0;
      lastSeq = -1;
      return;
    }
    if (seq !== lastSeq + 1) outOfOrder++;
    lastSeq = seq;
    acc += seq + data[data.length - 1]; // touches the frame's data, so nothing can be skipped
    floats = data.length;
    if (warm < params.warmFrames) {
      if (++warm === params.warmFrames) t0 = performance.now();
      return;
    }
    frames++;
    t1 = performance.now();
  });
  report('ready', {});
}

/** Sends frames of `floats` samples for `durationMs`, then the end marker (first sample −1). */
async function pump(host, floats, durationMs, warmFrames) {
  const frame = new Float32Array(floats).fill(0.25);
  let seq = 0;
  let waitedMs = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  while (performance.now() < end || seq < warmFrames * 2) {
    let burst = 0;
    while (burst < 256 && host.buffered() < WINDOW_BYTES) {
      frame[0] = seq++;
      host.sendFloats('f', frame);
      burst++;
    }
    if (burst > 0) await new Promise(setImmediate);
    else {
      const t = performance.now();
      // A host that can say when there is room (fresh streams: the page's acks) is waited for;
      // otherwise poll the buffer.
      await (host.waitForRoom?.() ?? sleep(1));
      waitedMs += performance.now() - t;
    }
  }
  frame[0] = -1;
  await host.waitForRoom?.(); // the end marker must not replace a frame waiting for credit
  host.sendFloats('f', frame);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { sent: seq, hostWaitShare: waitedMs / wallMs, hostCpu: (used.user + used.system) / 1000 / wallMs };
}

export async function measureClient(adapter, { server, sizes, durationMs, warmFrames }) {
  return withSession({ adapter, server, scenario: throughputPage, params: { warmFrames } }, async ({ host }) => {
    // Warm-up pass (discarded): JIT both ends before the first measured size.
    await pump(host, sizes[0], durationMs / 3, warmFrames);
    await server.next('size', 120_000);
    const results = [];
    for (const floats of sizes) {
      const sent = await pump(host, floats, durationMs, warmFrames);
      const page = await server.next('size', 120_000);
      const framesPerSec = (page.frames / page.ms) * 1000;
      results.push({
        floats,
        framesPerSec,
        mbPerSec: (framesPerSec * floats * 4) / 1e6,
        sent: sent.sent,
        received: page.received,
        outOfOrder: page.outOfOrder,
        hostWaitShare: sent.hostWaitShare,
        hostCpu: sent.hostCpu,
        ok: page.floats === floats && page.frames > 0 && page.received === sent.sent && page.outOfOrder === 0,
      });
    }
    return results;
  });
}

/**
 * Runs every client `runs` times (round-robin, so noise spreads evenly) and returns one row per
 * client and size with the median of the runs.
 */
export async function run({ server, quick = false, runs = quick ? 1 : 5, clients, adapters = CLIENTS, log = () => {} }) {
  // A full run also measures the modern client without owned frames (issue 26), side by side.
  const names = clients ?? [...Object.keys(adapters), ...(quick || adapters !== CLIENTS ? [] : ['modern-whole'])];
  const client = (name) => adapters[name] ?? clientByName(name);
  const durationMs = quick ? 150 : 1000;
  const sizes = SIZES;
  const samples = new Map(); // name → floats → [result]
  const rows = [];
  const skipped = [];
  for (const name of names) {
    const available = client(name).available();
    if (!available.ok) skipped.push({ name, reason: available.reason });
    else samples.set(name, new Map(sizes.map((f) => [f, []])));
  }
  const failures = [];
  for (let r = 0; r < runs; r++) {
    for (const name of samples.keys()) {
      log(`throughput: ${name}, run ${r + 1}/${runs}`);
      try {
        for (const result of await measureClient(client(name), { server, sizes, durationMs, warmFrames: quick ? 50 : WARM_FRAMES })) samples.get(name).get(result.floats).push({ ...result, run: r });
      } catch (error) {
        failures.push({ name, error });
        log(`throughput: ${name} failed: ${error.message}`);
      }
    }
  }
  // The ratio to raw ws is the median of per-run ratios: run r of a client and of raw ws were
  // measured seconds apart, so a machine busy with something else slows both.
  const rawRuns = new Map(sizes.map((f) => [f, samples.get('raw-ws')?.get(f) ?? []]));
  const pairedRatio = (list, floats) =>
    median(list.map((s) => s.framesPerSec / (rawRuns.get(floats).find((raw) => raw.run === s.run)?.framesPerSec ?? NaN)));
  for (const [name, bySize] of samples) {
    for (const floats of sizes) {
      const list = bySize.get(floats);
      const failure = failures.find((f) => f.name === name);
      if (list.length === 0) {
        rows.push({ scenario: 'throughput', client: name, floats, error: failure?.error.message ?? 'no result', ok: false });
        continue;
      }
      const framesPerSec = median(list.map((s) => s.framesPerSec));
      rows.push({
        scenario: 'throughput',
        client: name,
        floats,
        framesPerSec: round(framesPerSec, 0),
        mbPerSec: round((framesPerSec * floats * 4) / 1e6, 1),
        ratioToRaw: round(pairedRatio(list, floats), 3),
        runs: list.length,
        runsFramesPerSec: list.map((s) => round(s.framesPerSec, 0)),
        hostWaitShare: round(median(list.map((s) => s.hostWaitShare)), 2),
        hostCpu: round(median(list.map((s) => s.hostCpu)), 2),
        framesSent: list.map((s) => s.sent),
        ok: list.every((s) => s.ok),
        note: list.every((s) => s.ok) ? undefined : 'lost or reordered frames',
      });
    }
  }
  for (const { name, reason } of skipped) {
    for (const floats of sizes) rows.push({ scenario: 'throughput', client: name, floats, skipped: reason, note: `skipped: ${reason}` });
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('throughput', run);
