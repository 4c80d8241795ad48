import type { WebSocketConstructor, WebSocketLike } from '../modern/types.js';
import type { FromWorker, ToWorker } from './messages.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** What a {@link WorkerSocket} needs from the worker client: posting, and the features the worker offers on the real socket. */
export interface SocketPort {
  post(message: ToWorker, transfer?: Transferable[]): void;
  /** Sockets by number, so the worker's events reach the one they belong to. */
  readonly sockets: Map<number, WorkerSocket>;
  readonly features: { ownedFrames: boolean; freshStreams: boolean; exactBuffers: boolean };
}

let nextSocket = 1;

/**
 * The main thread's side of the socket the worker holds: a WebSocket as the modern client's
 * transport sees it (so reconnect, the subprotocol fallback, refusals, exactly-once and calls all
 * run unchanged on the main thread), while the real socket, stream frames and their flow control
 * live in the worker. Only the frames the main thread reads cross: control messages, and streams
 * it listens to.
 */
export class WorkerSocket implements WebSocketLike {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly #n = nextSocket++;
  readonly #port: SocketPort;

  constructor(port: SocketPort, url: string, protocols?: string | string[]) {
    this.#port = port;
    port.sockets.set(this.#n, this);
    const list = protocols === undefined ? undefined : typeof protocols === 'string' ? [protocols] : protocols;
    // The page's bridge tags its sockets to the host with the tab (one page per tab): the worker's too.
    const tagUrl = (globalThis as { WebSocket?: { tagUrl?: (url: string) => string } }).WebSocket?.tagUrl;
    port.post({ t: 'open', n: this.#n, url: tagUrl?.(url) ?? url, protocols: list, ...port.features });
  }

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (this.readyState !== OPEN) return;
    // The client never writes into what it sent, but it may send a view of a larger buffer: copy exactly.
    const bytes = typeof data === 'string' ? data : ArrayBuffer.isView(data) ? copyOf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : copyOf(new Uint8Array(data));
    this.#port.post({ t: 'send', n: this.#n, data: bytes }, typeof bytes === 'string' ? [] : [bytes]);
  }

  close(code?: number): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#port.post({ t: 'close', n: this.#n, code });
    this.#port.sockets.delete(this.#n);
  }

  /** An event from the worker about this socket. */
  event(message: FromWorker): void {
    if (message.t === 'opened') {
      this.readyState = OPEN;
      this.protocol = message.protocol;
      this.onopen?.({});
    } else if (message.t === 'message') {
      this.onmessage?.({ data: message.data });
    } else if (message.t === 'closed') {
      this.readyState = CLOSED;
      this.#port.sockets.delete(this.#n);
      this.onerror?.({});
      this.onclose?.({ code: message.code, reason: message.reason, wasClean: message.wasClean });
    }
  }
}

/** A WebSocket constructor whose sockets are held by the worker behind `port`. */
export function workerSocketClass(port: SocketPort): WebSocketConstructor {
  return class extends WorkerSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(port, url, protocols);
    }
  };
}

function copyOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
