// Scenario 4: a stalled page. 16 streams x 60 fps x 2048 floats go to one page; on the host's
// 'stall' message the page blocks its main thread (a busy loop) for 5 s, so Chromium stops reading
// and TCP backpressure reaches the host. Measured: the host's memory for that page
// (page.bufferedBytes, sampled every 10 ms; must stay <= highWaterMark + one frame per stream id +
// the waiting control frames), how fast the control messages sent during the stall arrive after the
// page resumes, and whether stale stream frames are delivered after the stall. Each frame carries
// its sequence number in sample 0 and its send time (ms since the run's epoch) in sample 1.
// `modern` has fresh streams on (issue 14: credit-based flow control), `modern-fc-off` off (as before),
// side by side. A stale frame was made before the resume; `staleOlderThanPeriod` counts only those
// made more than one frame period before it (the newest frame the host held while the page was
// stalled is stale by the first count, but at most one period old).
import { client } from '../lib/clients.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, round, sleep } from '../lib/stats.mjs';

export const STALL_CLIENTS = ['drop-in', 'modern', 'modern-fc-off'];
const STREAMS = 16;
const FPS = 60;
const FLOATS = 2048;
const CONTROL_EVERY_MS = 100;

/** Page side. */
function stallPage({ params, client, report }) {
  const lastSeq = new Map();
  let resumedAt = 0; // Date.now() when the busy loop ended
  let stallEndedPerf = 0;
  let reordered = 0;
  let staleAfterResume = 0; // stream frames sent before the page resumed, delivered after
  let staleOlderThanPeriod = 0; // of those, made more than one frame period before the resume
  const stalePerId = new Map();
  const olderPerId = new Map();
  let firstFreshMs = -1; // after resume, until a frame sent after the resume arrives
  const control = []; // [sentAt, arrivedAt] of control messages
  let acc = 0;
  client.onFloats((id, data) => {
    const seq = data[0];
    const sentAt = params.epoch + data[1];
    acc += data[data.length - 1];
    if (seq <= (lastSeq.get(id) ?? -1)) reordered++;
    lastSeq.set(id, seq);
    if (resumedAt === 0) return;
    if (sentAt < resumedAt) {
      staleAfterResume++;
      stalePerId.set(id, (stalePerId.get(id) ?? 0) + 1);
      if (sentAt < resumedAt - 1000 / params.fps) {
        staleOlderThanPeriod++;
        olderPerId.set(id, (olderPerId.get(id) ?? 0) + 1);
      }
    } else if (firstFreshMs < 0) firstFreshMs = performance.now() - stallEndedPerf;
  });
  client.onText((id, text) => {
    if (text === 'stall') {
      const until = performance.now() + params.stallMs;
      while (performance.now() < until); // the stall: nothing runs, nothing is read
      resumedAt = Date.now();
      stallEndedPerf = performance.now();
    } else if (text.startsWith('ctl:')) {
      control.push([Number(text.slice(4)), Date.now()]);
    } else if (text === 'stop') {
      report('stall', {
        resumedAt,
        reordered,
        staleAfterResume,
        maxStalePerId: Math.max(0, ...stalePerId.values()),
        staleOlderThanPeriod,
        maxOlderPerId: Math.max(0, ...olderPerId.values()),
        firstFreshMs,
        control,
        acc,
      });
    }
  });
  report('ready', {});
}

async function measure(adapter, { server, stallMs, highWaterMark }) {
  const epoch = Date.now();
  const ids = Array.from({ length: STREAMS }, (_, i) => String(i));
  const params = { stallMs, epoch, fps: FPS, ids: [...ids, 'ctl'] };
  return withSession({ adapter, server, scenario: stallPage, params, hostOptions: { highWaterMark } }, async ({ host }) => {
    const page = () => host.webView.pages[0];
    const buffers = ids.map(() => new Float32Array(FLOATS).fill(0.5));
    let seq = 0;
    let maxBuffered = 0;
    let running = true;
    const samples = [];
    const sampler = (async () => {
      while (running) {
        const bytes = page()?.bufferedBytes ?? 0;
        if (bytes > maxBuffered) maxBuffered = bytes;
        samples.push(bytes);
        await sleep(10);
      }
    })();
    const streaming = (async () => {
      const start = performance.now();
      for (let tick = 0; running; tick++) {
        for (let i = 0; i < STREAMS; i++) {
          buffers[i][0] = seq;
          buffers[i][1] = Date.now() - epoch;
          host.sendFloats(ids[i], buffers[i]);
        }
        seq++;
        const wait = start + (tick + 1) * (1000 / FPS) - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();
    await sleep(stallMs >= 5000 ? 1000 : 300);
    host.sendText('ctl', 'stall');
    const stallSent = Date.now();
    // Control messages throughout the stall and the second after it.
    while (Date.now() - stallSent < stallMs + (stallMs >= 5000 ? 1000 : 300)) {
      host.sendText('ctl', `ctl:${Date.now()}`);
      await sleep(CONTROL_EVERY_MS);
    }
    await sleep(stallMs >= 5000 ? 500 : 100);
    running = false;
    await Promise.all([sampler, streaming]);
    const p = page();
    const stats = p ? { ...p.stats } : {};
    host.sendText('ctl', 'stop');
    const result = await server.next('stall', 30_000);
    const frameBytes = FLOATS * 4 + 7 + 3; // a header with a 1–2 byte id
    // Control frames waiting while congested also count (PROTOCOL.md): type, id "ctl\0", size, text.
    const controlBytes = result.control.filter(([sent]) => sent < result.resumedAt).reduce((n, [sent]) => n + 7 + 4 + `ctl:${sent}`.length, 0);
    const limit = highWaterMark + STREAMS * frameBytes + controlBytes;
    // Control messages sent while the page was stalled: how long after the resume they arrived.
    const duringStall = result.control.filter(([sent]) => sent < result.resumedAt);
    const afterResume = result.control.filter(([sent]) => sent >= result.resumedAt);
    return {
      maxBuffered,
      limit,
      stats,
      controlSent: result.control.length,
      controlDrainMs: duringStall.length ? Math.max(...duringStall.map(([, arrived]) => arrived - result.resumedAt)) : NaN,
      controlFirstMs: duringStall.length ? Math.min(...duringStall.map(([, arrived]) => arrived - result.resumedAt)) : NaN,
      controlLatencyAfterMs: afterResume.length ? median(afterResume.map(([sent, arrived]) => arrived - sent)) : NaN,
      staleAfterResume: result.staleAfterResume,
      maxStalePerId: result.maxStalePerId,
      staleOlderThanPeriod: result.staleOlderThanPeriod,
      maxOlderPerId: result.maxOlderPerId,
      reordered: result.reordered,
      firstFreshMs: result.firstFreshMs,
      resumed: result.resumedAt > 0,
    };
  });
}

export async function run({ server, quick = false, runs = 1, clients, adapters, log = () => {} }) {
  const names = adapters ? Object.keys(adapters) : (clients ?? STALL_CLIENTS).filter((n) => STALL_CLIENTS.includes(n));
  const stallMs = quick ? 1000 : 5000;
  const highWaterMark = 1024 * 1024; // the WebView default
  const rows = [];
  for (const name of names) {
    const adapter = adapters?.[name] ?? client(name);
    const available = adapter.available();
    if (!available.ok) {
      rows.push({ scenario: 'stall', client: name, floats: FLOATS, skipped: available.reason, note: `skipped: ${available.reason}` });
      continue;
    }
    const measured = [];
    for (let r = 0; r < runs; r++) {
      log(`stall: ${name}, run ${r + 1}/${runs}`);
      try {
        measured.push(await measure(adapter, { server, stallMs, highWaterMark }));
      } catch (error) {
        log(`stall: ${name} failed: ${error.message}`);
        rows.push({ scenario: 'stall', client: name, floats: FLOATS, error: error.message, ok: false, note: `failed: ${error.message}` });
      }
    }
    if (measured.length > 0) {
      {
        // Worst case over the runs for memory and staleness, median for latencies.
        const worst = (key) => Math.max(...measured.map((m) => m[key]));
        const mid = (key) => round(median(measured.map((m) => m[key])), 1);
        const m = {
          maxBuffered: worst('maxBuffered'),
          limit: measured[0].limit,
          stats: { framesCoalesced: median(measured.map((x) => x.stats.framesCoalesced)) },
          controlSent: measured[0].controlSent,
          controlFirstMs: mid('controlFirstMs'),
          controlDrainMs: mid('controlDrainMs'),
          controlLatencyAfterMs: mid('controlLatencyAfterMs'),
          staleAfterResume: worst('staleAfterResume'),
          maxStalePerId: worst('maxStalePerId'),
          staleOlderThanPeriod: worst('staleOlderThanPeriod'),
          maxOlderPerId: worst('maxOlderPerId'),
          reordered: worst('reordered'),
          firstFreshMs: mid('firstFreshMs'),
          resumed: measured.every((x) => x.resumed),
          overshootBytes: worst('maxBuffered') - measured[0].limit,
        };
        const withinLimit = m.maxBuffered <= m.limit;
        rows.push({
          scenario: 'stall',
          client: name,
          floats: FLOATS,
          streams: STREAMS,
          stallMs,
          highWaterMark,
          maxBufferedBytes: m.maxBuffered,
          limitBytes: m.limit,
          withinLimit,
          framesCoalesced: m.stats.framesCoalesced,
          controlMessages: m.controlSent,
          controlFirstAfterResumeMs: m.controlFirstMs,
          controlDrainAfterResumeMs: m.controlDrainMs,
          controlLatencyAfterResumeMs: m.controlLatencyAfterMs,
          staleFramesAfterResume: m.staleAfterResume,
          maxStaleFramesPerId: m.maxStalePerId,
          staleOlderThanPeriod: m.staleOlderThanPeriod,
          maxStaleOlderThanPeriodPerId: m.maxOlderPerId,
          reorderedFrames: m.reordered,
          firstFreshFrameMs: round(m.firstFreshMs, 1),
          runs: measured.length,
          overshootBytes: Math.max(0, m.overshootBytes),
          ok: m.resumed && m.reordered === 0 && m.maxBuffered > 0,
          note:
            `max ${round(m.maxBuffered / 1024, 0)} KiB buffered (limit ${round(m.limit / 1024, 0)} KiB); ` +
            `control drained ${m.controlDrainMs} ms after resume; ${m.staleAfterResume} stale frames (max ${m.maxStalePerId}/id; ` +
            `${m.staleOlderThanPeriod} older than a period, max ${m.maxOlderPerId}/id), first fresh ${round(m.firstFreshMs, 1)} ms, ${m.reordered} reordered`,
        });
      }
    }
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('stall', run);
