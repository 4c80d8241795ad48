// Why is the unaligned decode so slow in Chromium? Times ways of getting a Float32Array out of
// float data that starts at byte 9 of a fresh 32 KiB+ ArrayBuffer (as a WebSocket message delivers
// it), at a realistic message rate is not reproducible here: this loop is the worst case for the GC.
// Run: node bench/archive/copy-in-chromium.mjs
import { startBenchServer } from '../lib/bench-server.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { printRows } from '../lib/report.mjs';

const page = `<!doctype html><script type="module">
const out = [];
for (const floats of [128, 2048, 8192]) {
  const bytes = floats * 4 + 9;
  const pool = Array.from({ length: 64 }, () => new ArrayBuffer(bytes));
  const cases = {
    'fresh ArrayBuffer per message (what the socket does anyway)': (ab) => new ArrayBuffer(bytes).byteLength,
    'new Float32Array(n) (alloc only)': (ab) => new Float32Array(floats).length,
    'new Float32Array(n) + Uint8Array.set (decodeMessage today)': (ab) => { const c = new Float32Array(floats); new Uint8Array(c.buffer).set(new Uint8Array(ab, 9, floats * 4)); return c[0]; },
    'new Float32Array(ab.slice(9))': (ab) => new Float32Array(ab.slice(9))[0],
    'Float32Array.from(DataView reads)': (ab) => { const v = new DataView(ab, 9); const c = new Float32Array(floats); for (let i = 0; i < floats; i++) c[i] = v.getFloat32(i * 4, true); return c[0]; },
    'copy into a reused Float32Array (not safe to hand out)': (() => { const c = new Float32Array(floats); const u = new Uint8Array(c.buffer); return (ab) => { u.set(new Uint8Array(ab, 9, floats * 4)); return c[0]; }; })(),
  };
  for (const [name, fn] of Object.entries(cases)) {
    let sink = 0;
    for (let i = 0; i < 500; i++) sink += fn(pool[i & 63]);
    let n = 0; const t0 = performance.now(); let t = t0;
    while (t - t0 < 300) { for (let i = 0; i < 100; i++) sink += fn(pool[i & 63]); n += 100; t = performance.now(); }
    out.push({ scenario: 'copy-in-page', client: name, floats, note: (((t - t0) * 1e6) / n).toFixed(0) + ' ns/frame', sink });
  }
}
await fetch('/report/copy', { method: 'POST', body: JSON.stringify(out) });
</script>`;

const server = await startBenchServer();
const browser = launchChromium([server.page(page)]);
try {
  printRows((await server.next('copy', 120_000)).map(({ sink, ...r }) => r));
} finally {
  await browser.close();
  await server.close();
}
