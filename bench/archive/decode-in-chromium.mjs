// Where does the drop-in's per-frame time go? Times, inside plain headless Chromium, the page-side
// work per frame for: the raw page (`new Float32Array(ab)`), dist/protocol's decodeMessage (id "f":
// data at byte 9, one copy; id "abcd": aligned, a view) and the prototype decodeFast
// (bench/archive/fast-decode.js). Run: node bench/archive/decode-in-chromium.mjs
import { encodeFloat32 } from '../../dist/protocol/index.js';
import { startBenchServer } from '../lib/bench-server.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { printRows } from '../lib/report.mjs';

const SIZES = [128, 512, 2048, 8192];

function pageScript(frames) {
  return `<!doctype html><script type="module">
import { decodeMessage } from '/dist/protocol/index.js';
import { decodeFast } from '/bench/archive/fast-decode.js';
const frames = ${JSON.stringify(frames)};
const out = [];
function time(fn, buffers) {
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += fn(buffers[i % buffers.length]); // warm-up
  let n = 0; const t0 = performance.now(); let t = t0;
  while (t - t0 < 300) { for (let i = 0; i < 500; i++) sink += fn(buffers[i % buffers.length]); n += 500; t = performance.now(); }
  return { nsPerFrame: ((t - t0) * 1e6) / n, sink };
}
for (const f of frames) {
  // Each message is a fresh ArrayBuffer, as a WebSocket delivers it.
  const mk = (b64) => Array.from({ length: 64 }, () => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
  const rawBufs = Array.from({ length: 64 }, () => new Float32Array(f.floats).fill(0.5).buffer);
  const unaligned = mk(f.unaligned), aligned = mk(f.aligned);
  const cases = {
    'raw: new Float32Array(ab)': [(ab) => { const d = new Float32Array(ab); return d[0] + d[d.length - 1]; }, rawBufs],
    'decodeMessage, id "f" (copy)': [(ab) => { const d = decodeMessage(new Uint8Array(ab)).data; return d[0] + d[d.length - 1]; }, unaligned],
    'decodeMessage, id "abcd" (view)': [(ab) => { const d = decodeMessage(new Uint8Array(ab)).data; return d[0] + d[d.length - 1]; }, aligned],
    'decodeFast, id "f" (copy)': [(ab) => { const d = decodeFast(new Uint8Array(ab)).data; return d[0] + d[d.length - 1]; }, unaligned],
    'decodeFast, id "abcd" (view)': [(ab) => { const d = decodeFast(new Uint8Array(ab)).data; return d[0] + d[d.length - 1]; }, aligned],
  };
  for (const [name, [fn, bufs]] of Object.entries(cases)) out.push({ scenario: 'decode-in-page', client: name, floats: f.floats, ...time(fn, bufs) });
}
await fetch('/report/decode', { method: 'POST', body: JSON.stringify(out) });
</script>`;
}

const server = await startBenchServer();
server.file('/bench/archive/fast-decode.js', new URL('./fast-decode.js', import.meta.url).pathname);
const frames = SIZES.map((floats) => {
  const samples = new Float32Array(floats).fill(0.5);
  return {
    floats,
    unaligned: Buffer.from(encodeFloat32('f', samples)).toString('base64'),
    aligned: Buffer.from(encodeFloat32('abcd', samples)).toString('base64'),
  };
});
const browser = launchChromium([server.page(pageScript(frames))]);
try {
  const rows = await server.next('decode', 120_000);
  printRows(rows.map((r) => ({ ...r, note: `${r.nsPerFrame.toFixed(0)} ns/frame` })));
} finally {
  await browser.close();
  await server.close();
}
