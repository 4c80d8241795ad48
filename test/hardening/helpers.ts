import { connect as netConnect, type Socket } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { WebSocket } from 'ws';
import { decodeFrame, FrameType, readReply, SUBPROTOCOL, type Frame, type Reply } from '../../src/protocol/index.js';
import type { RefusedConnection, WebView, WebViewError, WebViewOptions } from '../../src/host/index.js';
import { startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

/** A host on port 0 that records what it delivers, the errors it reports and the connections it refuses. */
export async function watchedHost(options: WebViewOptions = {}) {
  const { wv, port } = await startHost(options);
  const inbox: { data: unknown; id: string | undefined }[] = [];
  const errors: WebViewError[] = [];
  const refused: RefusedConnection[] = [];
  wv.setWebSocketCallback((data, _page, id) => void inbox.push({ data, id }));
  wv.on('error', (error) => errors.push(error));
  wv.on('refused', (info) => refused.push(info));
  return { wv, port, inbox, errors, refused };
}

/** A raw `ws` client that negotiated `hise-webview.1` (or not), decoding every frame the host sends. */
export class RawPage {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(port: number, { extended = true, query = '', headers = {} as Record<string, string> } = {}) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/${query}`, extended ? [SUBPROTOCOL] : [], { headers });
    this.socket.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
    this.socket.on('message', (data: Buffer) => {
      try {
        this.frames.push(decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
      } catch {
        // HISE frames a legacy page gets decode as extended frames too; anything else is not ours to judge here
      }
    });
  }

  send(bytes: Uint8Array | Float32Array | string): void {
    this.socket.send(bytes);
  }

  /** The reply to call `callId`, once it arrives. */
  async reply(callId: number, timeoutMs = 5000): Promise<Reply> {
    let found: Reply | undefined;
    await until(() => (found = this.replies().find((r) => r.callId === callId)) !== undefined, timeoutMs, `reply to call ${callId}`);
    return found!;
  }

  replies(): Reply[] {
    return this.frames.filter((f) => f.type === FrameType.Result || f.type === FrameType.Error).map(readReply);
  }

  close(): void {
    this.socket.close();
  }
}

/** Opens a {@link RawPage} and waits for the host to see it. */
export async function openPage(wv: WebView, port: number, options?: ConstructorParameters<typeof RawPage>[1]): Promise<RawPage> {
  const before = wv.pages.length;
  const page = new RawPage(port, options);
  await page.opened;
  await until(() => wv.pages.length > before, 2000, 'the host to see the page');
  return page;
}

/** A plain TCP connection to the host, for handshakes written by hand. */
export function tcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the TCP peer closes `socket`, with how long that took. */
export function closedAfter(socket: Socket): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => {
    socket.on('data', () => undefined);
    socket.once('close', () => resolve(Date.now() - start));
  });
}

/** Node's `gc()`, enabled at run time for the memory checks. */
export function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

/** The first code of an error and of its cause, e.g. `INVALID_FRAME/TRUNCATED_HEADER`. */
export function codeOf(error: WebViewError): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === undefined || cause.code === error.code ? error.code : `${error.code}/${cause.code}`;
}
