import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const DEFAULT_WAIT_MS = 60_000;
/** Colour codes tools print even with NO_COLOR, stripped before matching lines. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

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
  const output: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output.push(...chunk.toString().replace(ANSI, '').split('\n').filter((line) => line.trim() !== ''));
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = once(child, 'exit');

  const waitForLine = (pattern: RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = output.find((l) => pattern.test(l));
        if (line !== undefined) done(() => resolve(line));
        else if (child.exitCode !== null) done(() => reject(new Error(`\`${command}\` exited (${child.exitCode}) before printing ${pattern}:\n${output.join('\n')}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`\`${command}\` printed no line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', check);
        settle();
      };
      waiters.add(check);
      child.on('exit', check);
      check();
    });

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
