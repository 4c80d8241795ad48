// Per-frame cost in Chromium of handing out a Float32Array that owns exactly its samples (issue 11,
// item 2). Each iteration gets a fresh message buffer, as a WebSocket delivers one per message
// (float data at byte 9, HISE's layout for a 2-character id), so `transfer` always has a buffer to
// detach. Tight loop: the worst case for the GC. Run: node bench/profile/owned-in-chromium.mjs
import { startBenchServer } from '../lib/bench-server.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { printRows } from '../lib/report.mjs';

const page = `<!doctype html><script type="module">
const out = [];
const START = 9;
for (const floats of [128, 512, 2048, 8192]) {
  const size = floats * 4;
  const bytes = size + START;
  const cases = {
    'in-place view (not owned; the old drop-in)': (ab) => { const u = new Uint8Array(ab); u.copyWithin(8, START, START + size); return new Float32Array(ab, 8, floats); },
    'copyWithin(0) + transfer(size)': (ab) => { new Uint8Array(ab).copyWithin(0, START, START + size); return new Float32Array(ab.transfer(size)); },
    'slice(start, end)': (ab) => new Float32Array(ab.slice(START, START + size)),
    'new Float32Array(n) + set': (ab) => { const c = new Float32Array(floats); new Uint8Array(c.buffer).set(new Uint8Array(ab, START, size)); return c; },
  };
  for (const [name, fn] of Object.entries(cases)) {
    let sink = 0;
    for (let i = 0; i < 500; i++) sink += fn(new ArrayBuffer(bytes))[0];
    let n = 0; const t0 = performance.now(); let t = t0;
    while (t - t0 < 400) { for (let i = 0; i < 100; i++) sink += fn(new ArrayBuffer(bytes))[0]; n += 100; t = performance.now(); }
    out.push({ scenario: 'owned-in-page', client: name, floats, note: (((t - t0) * 1e6) / n).toFixed(0) + ' ns/frame (incl. the fresh message buffer)', sink });
  }
}
await fetch('/report/owned', { method: 'POST', body: JSON.stringify(out) });
</script>`;

const server = await startBenchServer();
const browser = launchChromium([server.page(page)]);
try {
  printRows((await server.next('owned', 120_000)).map(({ sink, ...r }) => r));
} finally {
  await browser.close();
  await server.close();
}
