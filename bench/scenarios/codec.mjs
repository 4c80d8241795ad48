// Scenario 5: the codec in Node. encodeFloat32 and decodeMessage MB/s per frame size (from the built
// dist/protocol), against a plain Buffer.copy of the same bytes. The id is "0" (as updateBuffer(0)
// sends), so the float data starts at byte 9: decode copies once (unaligned); "abcd" (data at 12)
// measures the zero-copy path.
import { isMain, runStandalone } from '../lib/cli.mjs';
import { median, round } from '../lib/stats.mjs';
import { decodeMessage, encodeFloat32 } from '../../dist/protocol/index.js';

export const SIZES = [128, 512, 2048, 8192];

/** Calls `fn` in batches until `ms` have passed; returns operations per second. */
function opsPerSec(fn, ms) {
  let ops = 0;
  let batch = 16;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsed = performance.now() - start;
    if (elapsed < ms / 20) batch *= 2;
  }
  return (ops / elapsed) * 1000;
}

export async function run({ quick = false, runs = quick ? 1 : 5, log = () => {} }) {
  const ms = quick ? 30 : 300;
  const rows = [];
  for (const floats of SIZES) {
    log(`codec: ${floats} floats`);
    const samples = new Float32Array(floats).map((_, i) => Math.sin(i));
    const bytes = floats * 4;
    const frame = encodeFloat32('0', samples);
    const aligned = encodeFloat32('abcd', samples);
    const source = Buffer.from(frame);
    const target = Buffer.allocUnsafe(source.length);
    let sink = 0;
    const cases = {
      'Buffer.copy': () => {
        source.copy(target);
        sink += target[source.length - 1];
      },
      encodeFloat32: () => {
        samples[0] = sink;
        sink += encodeFloat32('0', samples)[9];
      },
      'decodeMessage (copy)': () => {
        sink += decodeMessage(frame).data[floats - 1];
      },
      'decodeMessage (view)': () => {
        sink += decodeMessage(aligned).data[floats - 1];
      },
    };
    const results = {};
    for (const name of Object.keys(cases)) results[name] = [];
    for (let r = 0; r < runs; r++) for (const [name, fn] of Object.entries(cases)) results[name].push(opsPerSec(fn, ms));
    const copyOps = median(results['Buffer.copy']);
    for (const [name, list] of Object.entries(results)) {
      const ops = median(list);
      rows.push({
        scenario: 'codec',
        client: name,
        floats,
        opsPerSec: round(ops, 0),
        mbPerSec: round((ops * bytes) / 1e6, 0),
        ratioToCopy: round(ops / copyOps, 3),
        ok: Number.isFinite(ops) && ops > 0 && Number.isFinite(sink),
      });
    }
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('codec', run);
