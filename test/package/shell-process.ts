import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { collectLines } from '../helpers/printed-lines.js';

const DEFAULT_WAIT_MS = 60_000;

const STOP_TIMEOUT_MS = 15_000;

/** Signals every process of the child's group (the shell and what it started); gone already is fine. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group has exited
  }
}

/** A command line running in a shell, as a user types it, in its own process group. */
export interface ShellProcess {
  child: ChildProcess;
  /** Every line printed so far, stdout and stderr, without colour codes. */
  output: string[];
  /** Resolves with the first printed line matching `pattern` (lines already printed count). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGINT (Ctrl+C) to the whole process group and resolves once the shell has exited. */
  stop(): Promise<void>;
}

/** Starts `command` with `sh -c` in `cwd`. */
export function startShell(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): ShellProcess {
  const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const { output, waitForLine: waitFor } = collectLines(child, `\`${command}\``);
  const exited = once(child, 'exit');
  const waitForLine = (pattern: RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> => waitFor(pattern, timeoutMs);

  return {
    child,
    output,
    waitForLine,
    async stop() {
      signalGroup(child, 'SIGINT');
      // Whatever ignored Ctrl+C does not outlive the test.
      const stuck = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(stuck);
      signalGroup(child, 'SIGKILL');
    },
  };
}
