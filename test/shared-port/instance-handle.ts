import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./instance-process.mjs', import.meta.url));

/** What an instance process reports (see instance-process.mjs). */
export interface InstanceEvent {
  ev: string;
  [key: string]: unknown;
}

export interface InstanceState {
  self: string;
  role: 'hub' | 'member' | undefined;
  hub: string | undefined;
  list: { id: string; order: number; hub: boolean; self: boolean }[];
  port: number;
  url: string;
  pages: { id: number; instance: string; extended: boolean }[];
  lastFailoverMs: number | undefined;
}

/** A shared-port instance running in a child process. */
export class InstanceProcess {
  readonly child: ChildProcess;
  readonly events: InstanceEvent[] = [];
  readonly #waiters = new Set<() => void>();
  #seq = 0;

  constructor(port: number, sharedDirectory: string, root?: string) {
    this.child = fork(SCRIPT, [String(port), sharedDirectory, ...(root === undefined ? [] : [root])], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (event: InstanceEvent) => {
      this.events.push(event);
      for (const wake of [...this.#waiters]) wake();
    });
    this.child.on('exit', () => {
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** Resolves with the first event (past or future) that `match` accepts; rejects after `timeout` ms or when the process exits first. */
  waitFor(match: (event: InstanceEvent) => boolean, timeout = 20_000, what = 'an event'): Promise<InstanceEvent> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.events.find(match);
        if (found !== undefined) finish(() => resolve(found));
        else if (this.child.exitCode !== null || this.child.signalCode !== null) finish(() => reject(new Error(`instance exited before ${what}: ${JSON.stringify(this.events.slice(-5))}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeout} ms: ${JSON.stringify(this.events.slice(-8))}`))), timeout);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        settle();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Started: its state, or the error code it failed with. */
  async started(): Promise<InstanceState> {
    const event = await this.waitFor((e) => e.ev === 'ready' || e.ev === 'failed', 20_000, 'ready');
    if (event.ev === 'failed') throw Object.assign(new Error(String(event.message)), { code: event.code });
    return event.state as InstanceState;
  }

  /** Runs a command in the instance and resolves with its result. */
  async command<T = unknown>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const seq = ++this.#seq;
    this.child.send({ seq, cmd, ...args });
    const reply = await this.waitFor((e) => e.ev === 'reply' && e.seq === seq, 20_000, `the reply to ${cmd}`);
    if (reply.error !== undefined) throw new Error(String(reply.error));
    return reply.value as T;
  }

  state(): Promise<InstanceState> {
    return this.command<InstanceState>('state');
  }

  /** Messages its callback got so far. */
  messages(): { id: string | undefined; data: unknown; page: { id: number; instance: string; extended: boolean } }[] {
    return this.events.filter((e) => e.ev === 'message') as never;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** A port that was free a moment ago (on 127.0.0.1 and ::1): the shared port of a test. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
