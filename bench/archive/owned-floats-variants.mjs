// A/B of the ways to give listeners Float32Arrays that own exactly their samples (issue 11, item 2),
// in the real throughput scenario, interleaved with raw ws and the shipped drop-in and modern client.
// Run: node bench/archive/owned-floats-variants.mjs [--runs=N] [--clients=raw-ws,owned-transfer,...]
import { CLIENTS } from '../lib/clients.mjs';
import { parseArgs } from '../lib/cli.mjs';
import { startBenchServer } from '../lib/bench-server.mjs';
import { printRows } from '../lib/report.mjs';
import { run } from '../scenarios/throughput.mjs';
import { MODES, ownedVariant } from './clients/drop-in-owned.js';

const options = parseArgs();
const server = await startBenchServer();
try {
  const adapters = { 'raw-ws': CLIENTS['raw-ws'], 'drop-in': CLIENTS['drop-in'], modern: CLIENTS.modern };
  for (const mode of MODES) adapters[`owned-${mode}`] = ownedVariant(mode);
  const rows = await run({ server, runs: options.runs ?? 3, clients: options.clients, adapters, log: (m) => console.error(m) });
  printRows(rows.map((r) => ({ ...r, note: JSON.stringify(r.runsFramesPerSec) })));
} finally {
  await server.close();
}
