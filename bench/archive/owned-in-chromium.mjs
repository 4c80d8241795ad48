// Per-frame cost in Chromium of handing out a Float32Array that owns exactly its samples (issue 11,
// item 2), on message buffers that Blink allocated (as it does for WebSocket messages; made with
// Blob.arrayBuffer() beforehand, each used once, float data at byte 9: HISE's layout for a 2-byte id).
// V8 cannot reallocate such buffers in place, so `transfer(size)` is an allocation and a copy there
// (on a buffer V8 allocated itself it can be a realloc, which makes a V8-only loop misleading).
// Rounds interleave the cases; the minimum per case is printed, to see through a busy machine.
// Run: node bench/archive/owned-in-chromium.mjs
import { startBenchServer } from '../lib/bench-server.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { printRows } from '../lib/report.mjs';

const page = `<!doctype html><script type="module">
const out = [];
const START = 9;
const ROUNDS = 7;
for (const floats of [128, 512, 2048, 8192]) {
  const size = floats * 4;
  const bytes = size + START;
  const cases = {
    'in-place view (not owned; the old drop-in)': (ab) => { new Uint8Array(ab).copyWithin(8, START, START + size); return new Float32Array(ab, 8, floats); },
    'copyWithin(0) + transfer(size)': (ab) => { new Uint8Array(ab).copyWithin(0, START, START + size); return new Float32Array(ab.transfer(size)); },
    'slice(start, end)': (ab) => new Float32Array(ab.slice(START, START + size)),
    'new Float32Array(n) + set': (ab) => { const c = new Float32Array(floats); new Uint8Array(c.buffer).set(new Uint8Array(ab, START, size)); return c; },
  };
  const blob = new Blob([new Uint8Array(bytes)]);
  const count = Math.max(200, Math.min(1000, Math.floor(16e6 / bytes)));
  const best = {};
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      const buffers = await Promise.all(Array.from({ length: count }, () => blob.arrayBuffer()));
      const t0 = performance.now();
      for (let i = 0; i < count; i++) sink += fn(buffers[i])[0];
      const ns = ((performance.now() - t0) * 1e6) / count;
      best[name] = Math.min(best[name] ?? Infinity, ns);
    }
  }
  for (const [name, ns] of Object.entries(best)) out.push({ scenario: 'owned-in-page', client: name, floats, note: ns.toFixed(0) + ' ns/frame (min of ' + ROUNDS + ' rounds of ' + count + ')', sink });
}
await fetch('/report/owned', { method: 'POST', body: JSON.stringify(out) });
</script>`;

const server = await startBenchServer();
const browser = launchChromium([server.page(page)]);
try {
  printRows((await server.next('owned', 300_000)).map(({ sink, ...r }) => r));
} finally {
  await browser.close();
  await server.close();
}
