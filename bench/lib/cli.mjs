// Shared command-line handling and standalone running for scenario files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startBenchServer } from './bench-server.mjs';
import { printRows } from './report.mjs';

export function parseArgs(argv = process.argv.slice(2)) {
  const quick = argv.includes('--quick');
  const runsArg = argv.find((a) => a.startsWith('--runs='));
  const clientsArg = argv.find((a) => a.startsWith('--clients='));
  return {
    quick,
    runs: runsArg ? Number(runsArg.slice(7)) : undefined,
    clients: clientsArg ? clientsArg.slice(10).split(',') : undefined,
    only: argv.filter((a) => !a.startsWith('--')),
  };
}

export const isMain = (url) => process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;

/** Runs one scenario on its own: `node bench/scenarios/<name>.mjs [--quick] [--runs=N]`. */
export async function runStandalone(name, run) {
  const options = parseArgs();
  const server = await startBenchServer();
  try {
    const rows = await run({ ...options, server, log: (m) => console.error(m) });
    printRows(rows);
    mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
    writeFileSync(new URL(`../results/${name}.json`, import.meta.url), JSON.stringify(rows, null, 2) + '\n');
  } finally {
    await server.close();
  }
}
