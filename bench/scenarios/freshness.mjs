// Scenario: fresh streams (issue 14), the modern client with them on (`modern`) and off
// (`modern-fc-off`, as before), side by side in one run:
// - slow consumer: 16 streams x 60 fps x 2048 floats to a page that spends 20 ms of work per frame of
//   the 16 streams (1.25 ms busy per stream message, so it consumes 80% of what comes): the age of each
//   frame at its listener (host send time -> listener call), p50/p99. Ages come from the frame's own
//   host timestamp (sample 1: ms since the run's epoch; with fresh streams also meta.time against
//   client.hostTime()).
// - hidden page: the same streams; the page reports itself hidden (document.visibilityState
//   overridden, then a visibilitychange event, as a browser does) for a while: stream bytes it receives
//   while hidden (after a 100 ms grace for what was already in flight), and how long after it is
//   visible again until every stream has delivered a frame.
// - rate cap: one stream at 60 fps, `client.subscribe(['r'], { maxRate: 30 })`: frames per second the
//   page receives.
import { client } from '../lib/clients.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, percentile, round, sleep } from '../lib/stats.mjs';

export const FRESHNESS_CLIENTS = ['modern', 'modern-fc-off'];
const STREAMS = 16;
const FPS = 60;
const FLOATS = 2048;
const WORK_MS_PER_TICK = 20;
const GRACE_MS = 100;
const MAX_RATE = 30;

/** Page side. */
function freshnessPage({ params, client, report }) {
  const modern = client.client();
  const ages = [];
  const metaAges = [];
  let mode = 'idle';
  let hiddenAt = 0;
  let visibleAt = 0;
  let hiddenBytes = 0;
  let graceBytes = 0;
  const seenAfterVisible = new Set();
  let allVisibleMs = -1;
  let rateFrames = 0;
  let rateStart = 0;
  const setVisibility = (state) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  };
  client.onFloats((id, data, meta) => {
    const now = Date.now();
    if (mode === 'slow') {
      ages.push(now - (params.epoch + data[1]));
      const hostNow = modern.hostTime();
      if (meta?.time !== undefined && hostNow !== undefined) metaAges.push(hostNow - meta.time);
      const until = performance.now() + params.workMsPerFrame;
      while (performance.now() < until); // the page's own work for this frame
    } else if (mode === 'hidden') {
      if (now - hiddenAt < params.graceMs) graceBytes += data.byteLength;
      else hiddenBytes += data.byteLength;
    } else if (mode === 'visible') {
      seenAfterVisible.add(id);
      if (allVisibleMs < 0 && seenAfterVisible.size === params.streams) allVisibleMs = performance.now() - visibleAt;
    } else if (mode === 'rate') {
      if (rateStart === 0) rateStart = performance.now();
      rateFrames++;
    }
  });
  client.onText((id, text) => {
    if (text === 'slow') mode = 'slow';
    else if (text === 'hide') {
      mode = 'hidden';
      hiddenAt = Date.now();
      setVisibility('hidden');
    } else if (text === 'show') {
      mode = 'visible';
      visibleAt = performance.now();
      setVisibility('visible');
    } else if (text === 'rate') {
      modern.subscribe(['r'], { maxRate: params.maxRate });
      mode = 'rate';
    } else if (text === 'report') {
      const sorted = (a) => [...a].sort((x, y) => x - y);
      const slow = sorted(ages.slice(Math.floor(ages.length / 4))); // after the warm-up quarter
      const meta = sorted(metaAges.slice(Math.floor(metaAges.length / 4)));
      report('freshness', {
        slow: { frames: ages.length, p50: percentile(slow, 50), p99: percentile(slow, 99), metaP50: percentile(meta, 50), metaP99: percentile(meta, 99), metaFrames: meta.length },
        hidden: { hiddenBytes, graceBytes, allVisibleMs },
        rate: { frames: rateFrames, ms: performance.now() - rateStart },
      });
      mode = 'idle';
    }
    function percentile(sorted, p) {
      return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
    }
  });
  report('ready', {});
}

/** Streams `ids` at FPS until `stop()`; sample 0 the tick, sample 1 the send time (ms since the epoch), with meta.time too. */
function startStreaming(host, ids, epoch) {
  const buffers = ids.map(() => new Float32Array(FLOATS).fill(0.5));
  let running = true;
  const done = (async () => {
    const start = performance.now();
    for (let tick = 0; running; tick++) {
      for (let i = 0; i < ids.length; i++) {
        buffers[i][0] = tick;
        buffers[i][1] = Date.now() - epoch;
        host.sendFloats(ids[i], buffers[i], { time: performance.timeOrigin + performance.now() });
      }
      const wait = start + (tick + 1) * (1000 / FPS) - performance.now();
      if (wait > 0) await sleep(wait);
    }
  })();
  return async () => {
    running = false;
    await done;
  };
}

async function measure(adapter, { server, quick }) {
  const epoch = Date.now();
  const ids = Array.from({ length: STREAMS }, (_, i) => String(i));
  const params = { epoch, streams: STREAMS, workMsPerFrame: WORK_MS_PER_TICK / STREAMS, graceMs: GRACE_MS, maxRate: MAX_RATE };
  const slowMs = quick ? 1500 : 5000;
  const hiddenMs = quick ? 600 : 2000;
  const rateMs = quick ? 1000 : 3000;
  return withSession({ adapter, server, scenario: freshnessPage, params }, async ({ host }) => {
    // Slow consumer.
    host.sendText('ctl', 'slow');
    let stop = startStreaming(host, ids, epoch);
    await sleep(slowMs);
    await stop();
    host.sendText('ctl', 'report');
    const first = await server.next('freshness', 60_000);
    // Hidden page: let the page catch up, stream, hide, show.
    await sleep(200);
    stop = startStreaming(host, ids, epoch);
    await sleep(300);
    host.sendText('ctl', 'hide');
    await sleep(hiddenMs);
    host.sendText('ctl', 'show');
    await sleep(300);
    await stop();
    host.sendText('ctl', 'report');
    const second = await server.next('freshness', 60_000);
    // Rate cap.
    host.sendText('ctl', 'rate');
    await sleep(100);
    stop = startStreaming(host, ['r'], epoch);
    await sleep(rateMs);
    await stop();
    host.sendText('ctl', 'report');
    const third = await server.next('freshness', 60_000);
    return { slow: first.slow, hidden: second.hidden, rate: third.rate };
  });
}

export async function run({ server, quick = false, runs = 1, clients, log = () => {} }) {
  const names = (clients ?? FRESHNESS_CLIENTS).filter((n) => FRESHNESS_CLIENTS.includes(n));
  const rows = [];
  for (const name of names) {
    const adapter = client(name);
    const available = adapter.available();
    if (!available.ok) {
      rows.push({ scenario: 'freshness', client: name, skipped: available.reason, note: `skipped: ${available.reason}` });
      continue;
    }
    const measured = [];
    for (let r = 0; r < runs; r++) {
      log(`freshness: ${name}, run ${r + 1}/${runs}`);
      try {
        measured.push(await measure(adapter, { server, quick }));
      } catch (error) {
        log(`freshness: ${name} failed: ${error.message}`);
        rows.push({ scenario: 'freshness', client: name, error: error.message, ok: false, note: `failed: ${error.message}` });
      }
    }
    if (measured.length === 0) continue;
    const mid = (pick) => round(median(measured.map(pick)), 1);
    const slow = { p50: mid((m) => m.slow.p50), p99: mid((m) => m.slow.p99), metaP50: mid((m) => m.slow.metaP50), metaP99: mid((m) => m.slow.metaP99) };
    rows.push({
      scenario: 'freshness',
      case: 'slow consumer',
      client: name,
      floats: FLOATS,
      streams: STREAMS,
      workMsPerTick: WORK_MS_PER_TICK,
      p50Ms: slow.p50,
      p99Ms: slow.p99,
      metaP50Ms: slow.metaP50,
      metaP99Ms: slow.metaP99,
      ok: Number.isFinite(slow.p50),
      note: `slow consumer: frame age p50 ${slow.p50} ms, p99 ${slow.p99} ms` + (Number.isFinite(slow.metaP99) ? ` (from meta.time: p50 ${slow.metaP50}, p99 ${slow.metaP99})` : ''),
    });
    const hiddenBytes = Math.max(...measured.map((m) => m.hidden.hiddenBytes));
    const graceBytes = Math.max(...measured.map((m) => m.hidden.graceBytes));
    const allVisibleMs = mid((m) => (m.hidden.allVisibleMs < 0 ? NaN : m.hidden.allVisibleMs));
    rows.push({
      scenario: 'freshness',
      case: 'hidden page',
      client: name,
      floats: FLOATS,
      streams: STREAMS,
      hiddenBytes,
      graceBytes,
      allStreamsAfterVisibleMs: allVisibleMs,
      ok: Number.isFinite(allVisibleMs),
      note: `hidden page: ${hiddenBytes} stream bytes while hidden (+${graceBytes} in the first ${GRACE_MS} ms); every stream ${allVisibleMs} ms after visible`,
    });
    const fps = mid((m) => (m.rate.frames / m.rate.ms) * 1000);
    rows.push({
      scenario: 'freshness',
      case: 'rate cap',
      client: name,
      maxRate: MAX_RATE,
      sourceFps: FPS,
      framesPerSec: fps,
      ok: Number.isFinite(fps),
      note: `maxRate ${MAX_RATE} on a ${FPS} fps stream: ${fps} frames/s`,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('freshness', run);
