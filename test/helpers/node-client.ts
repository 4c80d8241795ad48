import { WebSocket, type ClientOptions } from 'ws';

/** A Node `ws` client that records every message, with a promise for the n-th one. */
export class RecordingClient {
  readonly socket: WebSocket;
  readonly messages: { data: Buffer; isBinary: boolean }[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(url: string, options: ClientOptions = {}, protocols?: string[]) {
    this.socket = new WebSocket(url, protocols, options);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
      this.socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.socket.on('message', (data: Buffer, isBinary) => {
      this.messages.push({ data, isBinary });
      this.#waiters = this.#waiters.filter((w) => (this.messages.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  /** Resolves once `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<Buffer[]> {
    if (this.messages.length >= count) return Promise.resolve(this.payloads());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${this.messages.length} of ${count} messages`)), timeoutMs);
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.payloads());
        },
      });
    });
  }

  payloads(): Buffer[] {
    return this.messages.map((m) => m.data);
  }

  close(): Promise<unknown> {
    this.socket.close();
    return this.closed;
  }
}

/** Connects and waits for the connection to open. */
export async function connect(port: number, options?: ClientOptions, host = '127.0.0.1'): Promise<RecordingClient> {
  const client = new RecordingClient(`ws://${host}:${port}`, options);
  await client.opened;
  return client;
}

/** Bytes from a hex string with optional spaces and `|` separators. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[\s|]/g, ''), 'hex');
}

/** Waits until `predicate` holds, polling; for state that changes without an event. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
