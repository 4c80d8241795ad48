// Scenario: what the inspector's history costs in memory (issue 21). Measures the host heap one log
// entry takes (a short control message, a full 160-character summary, a stream run), and that a
// large payload is kept as its summary only (the heap after 5000 messages of 100 KB each).
// Run alone: `npm run build && node --expose-gc bench/scenarios/inspector-history.mjs`.
import { Aggregator } from '../../dist/inspector/aggregator.js';
import { ENTRY_OVERHEAD_BYTES, entryBytes, History } from '../../dist/inspector/history.js';

const COUNT = 5000;
const host = { pages: [], retainedValues: new Map(), parameters: new Map(), persistentCalls: [] };
const limits = { logSize: COUNT, logBytes: 1024 * 1024 * 1024, callLogSize: 200, previewPoints: 256, sampleInterval: 100, maxIds: 256 };

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(1);
}

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** Heap bytes per entry of `make(i)` (fresh strings each, as the host makes them), and the estimate. */
function perEntry(label, make) {
  const before = heap();
  const history = new History(COUNT, Number.MAX_SAFE_INTEGER);
  let estimated = 0;
  for (let i = 0; i < COUNT; i++) {
    const entry = make(i);
    estimated += entryBytes(entry);
    history.push(entry);
  }
  const measured = (heap() - before) / COUNT;
  if (history.size !== COUNT) throw new Error('lost entries');
  return { label, measuredBytesPerEntry: Math.round(measured), estimatedBytesPerEntry: Math.round(estimated / COUNT) };
}

/** Heap retained by an aggregator's history after `COUNT` messages of `make(i)`. */
function retained(label, make) {
  const before = heap();
  const aggregator = new Aggregator(host, limits);
  for (let i = 0; i < COUNT; i++) aggregator.observe({ type: 'send', time: i, id: 'big', data: make(i), stream: false, page: undefined, result: 'sent', via: 'send', retained: false, meta: undefined });
  const measured = (heap() - before) / COUNT;
  if (aggregator.history().log.length !== COUNT) throw new Error('lost entries');
  return { label, measuredBytesPerEntry: Math.round(measured), estimatedBytesPerEntry: Math.round(aggregator.history().log.reduce((sum, e) => sum + entryBytes(e), 0) / COUNT) };
}

const fresh = (text) => Buffer.from(text).toString(); // a string of its own, as one decoded from the wire
const rows = [
  perEntry('control message, short', (i) => ({ seq: i + 1, time: 1e12 + i, direction: 'out', id: fresh('title'), page: 1, text: fresh(`"Synth ${i}"`), result: 'sent' })),
  perEntry('control message, full summary (160 chars)', (i) => ({ seq: i + 1, time: 1e12 + i, direction: 'in', id: fresh(`some.longer.id.${i % 10}`), page: 1, text: fresh(`${i}`.padEnd(160, 'x')) })),
  perEntry('stream run', (i) => ({ seq: i + 1, time: 1e12 + i, direction: 'out', id: fresh('scope'), page: undefined, text: fresh('Float32Array(512)'), stream: { frames: i, bytes: i * 2048, end: 1e12 + i } })),
  retained('aggregator, 100 KB strings', (i) => fresh(`${i}`.padEnd(100_000, 'y'))),
  retained('aggregator, 100 KB JSON', (i) => ({ n: i, text: fresh('z'.repeat(50_000)), list: Array.from({ length: 5000 }, (_, j) => j) })),
];
console.table(rows);
console.log(`ENTRY_OVERHEAD_BYTES = ${ENTRY_OVERHEAD_BYTES}; ${COUNT} entries measured per row (Node ${process.version})`);
