import type { ChildProcess } from 'node:child_process';

/** Colour codes (SGR) some tools print whatever the environment says; stripped before matching. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** What a child process prints, line by line, and a way to wait for a line. */
export interface PrintedLines {
  /** Every non-blank line printed so far, stdout and stderr, without colour codes. */
  output: string[];
  /** Resolves with the first printed line matching `pattern` (lines already printed count); rejects when the process exits first or the time is up. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/** Collects what `child` prints; `name` says who it is in the errors. */
export function collectLines(child: ChildProcess, name: string): PrintedLines {
  const output: string[] = [];
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output.push(...chunk.toString().replace(ANSI, '').split('\n').filter((line) => line.trim() !== ''));
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const waitForLine = (pattern: RegExp, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = output.find((candidate) => pattern.test(candidate));
        if (line !== undefined) done(() => resolve(line));
        else if (child.exitCode !== null) done(() => reject(new Error(`${name} exited (${child.exitCode}) before printing ${pattern}:\n${output.join('\n')}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${name} printed no line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`))), timeoutMs);
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
  return { output, waitForLine };
}
