// `npm run bench [-- --quick] [-- --runs=N] [-- --clients=a,b] [-- scenario ...]`
// Runs every scenario (or the ones named) in one process, prints a table and the targets, and writes
// bench/results/latest.json; a full run also writes bench/results/throughput.svg and bench/RESULTS.md.
// Exits non-zero only when a scenario failed to execute, never because something is slow.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { startBenchServer } from './lib/bench-server.mjs';
import { parseArgs } from './lib/cli.mjs';
import { machineInfo } from './lib/machine.mjs';
import { printRows } from './lib/report.mjs';
import { resultsMarkdown } from './lib/results-md.mjs';
import { throughputSvg } from './lib/svg.mjs';
import { judgeTargets, printTargets } from './lib/targets.mjs';
import * as codec from './scenarios/codec.mjs';
import * as fanout from './scenarios/fanout.mjs';
import * as inspector from './scenarios/inspector.mjs';
import * as mainThread from './scenarios/main-thread.mjs';
import * as freshness from './scenarios/freshness.mjs';
import * as parameters from './scenarios/parameters.mjs';
import * as roundtrip from './scenarios/roundtrip.mjs';
import * as sharedPort from './scenarios/shared-port.mjs';
import * as stall from './scenarios/stall.mjs';
import * as throughput from './scenarios/throughput.mjs';

const SCENARIOS = { codec, throughput, roundtrip, fanout, 'main-thread': mainThread, stall, freshness, parameters, inspector, 'shared-port': sharedPort };
const options = parseArgs();
const resultsDir = new URL('./results/', import.meta.url);

// `--render`: rewrite RESULTS.md and the SVG from the last full run's latest.json (e.g. after editing ANALYSIS.md).
if (process.argv.includes('--render')) {
  const latest = JSON.parse(readFileSync(new URL('latest.json', resultsDir), 'utf8'));
  if (latest.machine.quick) throw new Error('latest.json is from a --quick run; run the full bench first');
  writeFileSync(new URL('throughput.svg', resultsDir), throughputSvg(latest.rows, latest.machine));
  writeFileSync(new URL('./RESULTS.md', import.meta.url), resultsMarkdown({ ...latest, targets: judgeTargets(latest.rows) }));
  console.log('rewrote bench/RESULTS.md and bench/results/throughput.svg from bench/results/latest.json');
  process.exit(0);
}
const names = options.only.length ? options.only : Object.keys(SCENARIOS);
for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario '${name}' (known: ${Object.keys(SCENARIOS).join(', ')})`);

const started = Date.now();
const machineBefore = machineInfo();
const log = (m) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);
const server = await startBenchServer();
const rows = [];
const failed = [];
try {
  for (const name of names) {
    try {
      const runs = options.runs ?? (name === 'stall' && !options.quick ? 2 : undefined);
      const got = await SCENARIOS[name].run({ ...options, runs, server, log });
      rows.push(...got);
      const broken = got.filter((r) => r.error !== undefined);
      const sane = got.filter((r) => r.skipped === undefined && r.error === undefined);
      if (broken.length) failed.push(`${name}: ${broken.map((r) => `${r.client}: ${r.error}`).join('; ')}`);
      else if (sane.length === 0) failed.push(`${name}: produced no figures`);
      for (const r of sane.filter((r) => r.ok === false)) log(`warning: ${name}/${r.client}/${r.floats ?? ''}: figures look wrong (${r.note ?? 'not ok'})`);
    } catch (error) {
      failed.push(`${name}: ${error.stack ?? error}`);
      log(`${name} failed to execute: ${error.message}`);
    }
  }
} finally {
  await server.close();
}

const machine = { ...machineBefore, loadAverageAfter: machineInfo().loadAverage, durationSec: Math.round((Date.now() - started) / 1000), quick: options.quick, runs: options.runs ?? (options.quick ? 1 : 'several (throughput 5, codec 5, round trip 3, fan-out 3, main thread 3, stalled page 2)') };
const targets = judgeTargets(rows);
console.log('');
printRows(rows);
printTargets(targets, options);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(new URL('latest.json', resultsDir), JSON.stringify({ machine, targets, rows }, null, 2) + '\n');
if (!options.quick && options.only.length === 0) {
  writeFileSync(new URL('throughput.svg', resultsDir), throughputSvg(rows, machine));
  writeFileSync(new URL('./RESULTS.md', import.meta.url), resultsMarkdown({ machine, targets, rows }));
  console.log('\nwrote bench/results/latest.json, bench/results/throughput.svg, bench/RESULTS.md');
} else console.log('\nwrote bench/results/latest.json');
console.log(`took ${machine.durationSec} s`);

if (failed.length) {
  console.error(`\n${failed.length} scenario(s) failed to execute:\n  ${failed.join('\n  ')}`);
  process.exitCode = 1;
}
