// A/B of the drop-in's receive path in the real throughput scenario: raw ws, the shipped drop-in,
// and the prototype with in-place decode (bench/archive/clients/drop-in-inplace.js), interleaved.
// Run: node bench/archive/throughput-variants.mjs [--runs=N]
import { CLIENTS } from '../lib/clients.mjs';
import { parseArgs } from '../lib/cli.mjs';
import { startBenchServer } from '../lib/bench-server.mjs';
import { printRows } from '../lib/report.mjs';
import { run } from '../scenarios/throughput.mjs';
import inPlace from './clients/drop-in-inplace.js';

const options = parseArgs();
const server = await startBenchServer();
try {
  const adapters = { 'raw-ws': CLIENTS['raw-ws'], 'drop-in': CLIENTS['drop-in'], 'drop-in-inplace': inPlace };
  const rows = await run({ server, runs: options.runs ?? 5, adapters, log: (m) => console.error(m) });
  printRows(rows.map((r) => ({ ...r, note: JSON.stringify(r.runsFramesPerSec) })));
} finally {
  await server.close();
}
