import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { chromiumVersion } from './chromium.mjs';
import { REPO_ROOT } from './bench-server.mjs';

export function machineInfo() {
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    commit = undefined;
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    chromium: chromiumVersion() ?? 'not found',
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    commit,
    date: new Date().toISOString(),
  };
}
