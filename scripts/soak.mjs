#!/usr/bin/env node
// Soak: 16 streams × 60 fps × 2048 floats to 2 pages in headless Chromium, calls both ways, for
// some minutes; samples host RSS and heap every second and each page's JS heap, and reports whether
// they stay flat (least-squares slope after a warm-up). Writes bench/results/soak.json.
//
//   node scripts/soak.mjs [--minutes 0.5] [--max-slope-mib-per-min 2]
//
// Chromium: CHROMIUM_PATH or /usr/bin/chromium, launched as a plain process. Needs `npm run build`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../bench/lib/chromium.mjs';
import { WebView } from '../dist/host/index.js';

const args = parseArgs(process.argv.slice(2));
const MINUTES = args.minutes ?? 0.5;
/** Heap growth after warm-up above which the run fails, in MiB per minute. */
const MAX_SLOPE_MIB_PER_MIN = args['max-slope-mib-per-min'] ?? 2;
const STREAMS = 16;
const FPS = 60;
const FLOATS = 2048;
const PAGES = 2;
/** Host → page and page → host calls per second (each way, per page). */
const CALLS_PER_SECOND = 10;
const SAMPLE_MS = 1000;
/** Samples before this fraction of the run are warm-up and left out of the slope. */
const WARM_UP_FRACTION = 0.25;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'results', 'soak.json');
const MiB = 1024 * 1024;

const page = (port) => `<!doctype html><html><head><meta charset="utf-8"><title>soak</title></head><body>
<script type="module">
  import { connect } from '/hise-webview-client.js';
  const client = connect({ port: ${port}, host: '127.0.0.1' });
  let frames = 0, lastSeq = new Map(), gaps = 0;
  client.onAny((id, data, meta) => { if (data instanceof Float32Array) frames++; });
  client.handle('ping', (n) => n + 1);
  let calls = 0, failed = 0;
  setInterval(() => {
    const n = calls++;
    client.call('add', n, 1).then((v) => { if (v !== n + 1) failed++; }, () => failed++);
  }, ${Math.round(1000 / CALLS_PER_SECOND)});
  setInterval(() => {
    const m = performance.memory;
    client.send('memory', { frames, calls, failed, heap: m ? m.usedJSHeapSize : null });
  }, ${SAMPLE_MS});
</script></body></html>`;

async function main() {
  const wv = new WebView({ heartbeatInterval: 5000 });
  const port = await wv.setEnableWebSocket(0);
  const pages = new Map(); // page id → latest report
  const errors = new Map();
  wv.on('error', (error) => errors.set(error.code, (errors.get(error.code) ?? 0) + 1));
  wv.onMessage('memory', (report, from) => pages.set(from.id, report));
  wv.handle('add', (a, b) => a + b);
  wv.setHtmlContent(page(port));

  // One plain Chromium process per page (headless Chromium opens only the first URL it is given).
  // A plain process (no DevTools attached), as the benchmarks launch it; precise memory for the pages' figures.
  const browsers = Array.from({ length: PAGES }, () => launchChromium([wv.url], { extraFlags: ['--enable-precise-memory-info'] }));
  const modernPages = () => wv.pages.filter((p) => p.extended); // one per tab: its bridge and its modern client
  await waitFor(() => modernPages().length === PAGES, 30_000, `${PAGES} pages`);

  // 16 streams at 60 fps: one tick per frame period, every stream gets a new block.
  const blocks = Array.from({ length: STREAMS }, () => new Float32Array(FLOATS));
  let ticks = 0;
  const streamer = setInterval(() => {
    ticks++;
    for (let s = 0; s < STREAMS; s++) {
      blocks[s].fill(Math.sin(ticks / 10 + s));
      wv.send(`stream${s}`, blocks[s]);
    }
  }, 1000 / FPS);
  let hostCalls = 0;
  let hostCallFailures = 0;
  const caller = setInterval(() => {
    for (const p of modernPages()) {
      hostCalls++;
      wv.call(p, 'ping', hostCalls).catch(() => hostCallFailures++);
    }
  }, 1000 / CALLS_PER_SECOND);

  const samples = [];
  const start = Date.now();
  const durationMs = MINUTES * 60_000;
  while (Date.now() - start < durationMs) {
    await sleep(SAMPLE_MS);
    const memory = process.memoryUsage();
    const reports = [...pages.values()];
    samples.push({
      t: (Date.now() - start) / 1000,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      pageHeap: reports.map((r) => r.heap),
      pageFrames: reports.map((r) => r.frames),
    });
  }
  clearInterval(streamer);
  clearInterval(caller);
  const reports = [...pages.values()];
  const congested = wv.pages.map((p) => p.stats);
  await Promise.all(browsers.map((browser) => browser.close()));
  await wv.close();

  const after = samples.filter((s) => s.t >= (durationMs / 1000) * WARM_UP_FRACTION);
  const slope = (key) => (slopePerSecond(after.map((s) => [s.t, key(s)])) * 60) / MiB;
  const pageSlopes = Array.from({ length: PAGES }, (_, i) => slope((s) => s.pageHeap[i] ?? NaN));
  const summary = {
    minutes: MINUTES,
    streams: STREAMS,
    fps: FPS,
    floats: FLOATS,
    pages: PAGES,
    framesSent: ticks * STREAMS,
    framesPerPage: reports.map((r) => r.frames),
    outboxStats: congested,
    callsHostToPage: { made: hostCalls, failed: hostCallFailures },
    callsPageToHost: { made: reports.reduce((n, r) => n + r.calls, 0), failed: reports.reduce((n, r) => n + r.failed, 0) },
    errors: Object.fromEntries(errors),
    host: {
      rssMiB: [mib(samples[0].rss), mib(samples.at(-1).rss)],
      heapMiB: [mib(samples[0].heapUsed), mib(samples.at(-1).heapUsed)],
      rssSlopeMiBPerMin: round(slope((s) => s.rss)),
      heapSlopeMiBPerMin: round(slope((s) => s.heapUsed)),
    },
    pageHeapMiB: Array.from({ length: PAGES }, (_, i) => [mib(firstDefined(samples, i)), mib(samples.at(-1).pageHeap[i])]),
    pageHeapSlopeMiBPerMin: pageSlopes.map(round),
    maxSlopeMiBPerMin: MAX_SLOPE_MIB_PER_MIN,
    samples,
  };
  const flat = [summary.host.heapSlopeMiBPerMin, ...summary.pageHeapSlopeMiBPerMin].every((s) => Number.isNaN(s) || s < MAX_SLOPE_MIB_PER_MIN);
  summary.flat = flat;
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(summary, null, 2)}\n`);
  print(summary);
  process.exitCode = flat && summary.callsPageToHost.failed === 0 && hostCallFailures === 0 ? 0 : 1;
}

function print(s) {
  const row = (name, start, end, slope) => `| ${name.padEnd(16)} | ${String(start).padStart(9)} | ${String(end).padStart(9)} | ${String(slope).padStart(14)} |`;
  console.log(`soak: ${s.minutes} min, ${s.streams} streams × ${s.fps} fps × ${s.floats} floats to ${s.pages} pages; frames sent ${s.framesSent}, per page ${s.framesPerPage.join(' / ')}`);
  console.log(`calls host→page ${s.callsHostToPage.made} (failed ${s.callsHostToPage.failed}), page→host ${s.callsPageToHost.made} (failed ${s.callsPageToHost.failed}); errors ${JSON.stringify(s.errors)}`);
  console.log(row('MiB', 'start', 'end', 'slope MiB/min'));
  console.log(row('---', '---', '---', '---'));
  console.log(row('host RSS', ...s.host.rssMiB, s.host.rssSlopeMiBPerMin));
  console.log(row('host heap', ...s.host.heapMiB, s.host.heapSlopeMiBPerMin));
  s.pageHeapMiB.forEach((range, i) => console.log(row(`page ${i + 1} JS heap`, ...range, s.pageHeapSlopeMiBPerMin[i])));
  console.log(`${s.flat ? 'FLAT' : 'GROWING'}: heap slopes after ${WARM_UP_FRACTION * 100}% warm-up ${s.flat ? 'below' : 'not all below'} ${s.maxSlopeMiBPerMin} MiB/min; wrote ${OUT}`);
}

/** Least-squares slope of y over x, ignoring points whose y is not a number. */
function slopePerSecond(points) {
  const valid = points.filter(([, y]) => typeof y === 'number' && Number.isFinite(y));
  if (valid.length < 2) return NaN;
  const n = valid.length;
  const mx = valid.reduce((a, [x]) => a + x, 0) / n;
  const my = valid.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of valid) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const firstDefined = (samples, i) => samples.find((s) => typeof s.pageHeap[i] === 'number')?.pageHeap[i];
const mib = (bytes) => (typeof bytes === 'number' ? round(bytes / MiB) : null);
const round = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate, timeoutMs, what) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!['minutes', 'max-slope-mib-per-min'].includes(key) || !(value > 0)) {
      throw new Error('usage: node scripts/soak.mjs [--minutes 0.5] [--max-slope-mib-per-min 2]');
    }
    out[key] = value;
  }
  return out;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
