import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { collectLines } from '../helpers/printed-lines.js';
import { runToExit } from '../helpers/run-to-exit.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = 'dist/cli/main.js';
const STARTUP_TIMEOUT_MS = 30_000; // generous: the machine may be loaded

/** `hise-webview` running as a user starts it: a real `node dist/cli/main.js` process. */
export interface CliProcess {
  child: ChildProcess;
  url: string;
  /** Every line printed so far, stdout and stderr. */
  output: string[];
  /** Resolves once a printed line matches `pattern` (lines already printed count). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<number | null>;
}

/** Starts the CLI with `args` and resolves once it has printed its URL. */
export async function startCli(args: string[]): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const { output, waitForLine: waitFor } = collectLines(child, 'the CLI');
  const waitForLine = (pattern: RegExp, timeoutMs = STARTUP_TIMEOUT_MS): Promise<string> => waitFor(pattern, timeoutMs);

  const line = await waitForLine(/serving .* at http:\/\//);
  const url = /at (http:\/\/\S+)/.exec(line)![1]!;
  return {
    child,
    url,
    output,
    waitForLine,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs the CLI to completion (for errors and --help) and returns its exit code and output. */
export function runCli(args: string[]): ReturnType<typeof runToExit> {
  return runToExit(CLI, args, ROOT);
}
