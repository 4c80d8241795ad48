import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectLines } from '../helpers/printed-lines.js';

/** The repository (whose built dist/ is packed). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI as built. */
export const CLI = join(REPO, 'dist/cli/main.js');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What a finished command printed, and how it ended. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` in `cwd` to completion (no shell), feeding `input` to stdin when given; `env` adds to the environment. */
export async function run(command: string, args: string[], cwd: string, input?: string, env: Record<string, string> = {}): Promise<Finished> {
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...cleanEnv(), ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.end(input);
  const [code] = (await once(child, 'close')) as [number | null]; // 'close': the pipes are read to their end
  return { code, stdout, stderr };
}

/** Runs npm in `cwd`; throws with its output when it fails. */
export async function npm(args: string[], cwd: string): Promise<Finished> {
  const result = await run(NPM, args, cwd);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.code}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Packs the repository as published (its built dist/ and templates/) into a temp folder; returns the tarball's path. */
export async function packRepository(): Promise<string> {
  const destination = await mkdtemp(join(tmpdir(), 'hise-pack-'));
  // --ignore-scripts: the tests have built dist/ already (pretest), a prepack build would only repeat it.
  await npm(['pack', '--ignore-scripts', '--pack-destination', destination], REPO);
  const [tarball] = (await readdir(destination)).filter((file) => file.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${destination}`);
  return join(destination, tarball);
}

/** Installs the packed tarball (and the project's other dependencies) from npm's cache where it can. */
export function installTarball(tarball: string, cwd: string): Promise<Finished> {
  return npm(['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], cwd);
}

/** A long-running command started like `npm run serve`, in its own process group so it can be stopped whole. */
export interface Running {
  child: ChildProcess;
  /** Every line printed so far, stdout and stderr. */
  output: string[];
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

export function start(command: string, args: string[], cwd: string): Running {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: cleanEnv() });
  const { output, waitForLine } = collectLines(child, `\`${[command, ...args].join(' ')}\``);
  return {
    child,
    output,
    waitForLine,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(-child.pid!, 'SIGTERM'); // npm, its shell and the CLI
      await exited;
    },
  };
}

/**
 * The environment without what `npm test` in this repository sets for its own script (its package
 * and project folder), which would leak into the temp project's npm; npm's config (cache, registry) stays.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const ownScript = (key: string): boolean =>
    key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_') || key === 'npm_config_local_prefix' || key === 'INIT_CWD';
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !ownScript(key))), NO_COLOR: '1' } as NodeJS.ProcessEnv;
}
