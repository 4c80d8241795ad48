import { execFileSync } from 'node:child_process';

/** Makes a named pipe (Node has no mkfifo): reading one would block a server that opened it. */
export function mkfifoSync(path: string): void {
  execFileSync('mkfifo', [path]);
}
