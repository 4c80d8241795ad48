import { decodeMessage } from '../protocol/decode.js';
import { Reconnect } from './reconnect.js';
import { refusalLog } from './refusals.js';
import { reportError } from './report-error.js';

/**
 * What a listener receives: a string, or the samples of a float buffer. A `Float32Array` owns
 * exactly its samples (`byteOffset` 0, `buffer.byteLength === length * 4`): keep it, or transfer
 * its buffer to a Worker or an AudioWorklet.
 */
export type HiseData = string | Float32Array;
export type HiseMessageListener = (id: string, data: HiseData) => void;
/** `open` and `close` receive the socket's event; `error` receives an `Error` (e.g. a `ProtocolError`) or the socket's event. */
export type HiseStatusListener = (event: unknown) => void;
export type HiseStatus = 'open' | 'close' | 'error';
/** What `send` did: went out, waits for the connection, or was refused because the queue is full. */
export type HiseSendResult = 'sent' | 'queued' | 'dropped';
export type HiseOutgoing = string | ArrayBufferLike | ArrayBufferView | Blob;

export interface HiseWebSocketServerOptions {
  /** Connect here instead of `ws://localhost:PORT`. */
  url?: string;
  /** Messages `send` keeps while not connected; more are dropped (and `send` says so). @default 1024 */
  maxQueue?: number;
  /** Reconnect when the connection drops. @default true */
  reconnect?: boolean;
  /** Milliseconds before the first reconnect attempt; each further attempt doubles it. @default 250 */
  minReconnectDelay?: number;
  /** Milliseconds the reconnect delay is capped at. @default 5000 */
  maxReconnectDelay?: number;
}

const OPEN = 1;

/**
 * Drop-in for HISE's `HiseWebSocketServer` (same constructor, `addEventListener((id, data) => …)`,
 * `send`), built for speed and for pages that live long: it reads `ArrayBuffer`s directly,
 * connects even when constructed after `load`, queues `send` until open, reconnects with capped
 * exponential backoff and jitter, and never throws on unload.
 */
export class HiseWebSocketServer {
  port: number;
  socket: WebSocket | undefined;
  eventListeners: HiseMessageListener[] = [];
  /** Messages sent before the connection was open, in order. */
  initQueue: HiseOutgoing[] = [];
  readonly #url: string;
  readonly #maxQueue: number;
  readonly #reconnectEnabled: boolean;
  readonly #status: Record<HiseStatus, HiseStatusListener[]> = { open: [], close: [], error: [] };
  #stopped = false;
  readonly #reconnect: Reconnect;
  readonly #logRefusal = refusalLog();

  constructor(port: number, options: HiseWebSocketServerOptions = {}) {
    this.port = port;
    this.#url = options.url ?? 'ws://localhost:' + port;
    this.#maxQueue = options.maxQueue ?? 1024;
    this.#reconnectEnabled = options.reconnect ?? true;
    this.#reconnect = new Reconnect(options.minReconnectDelay, options.maxReconnectDelay);
    // Like HISE's client, wait for `load` so listeners added before it see the first messages;
    // unlike it, connect at once when `load` has already happened.
    if (document.readyState === 'complete') this.initialise();
    else window.addEventListener('load', this.initialise);
    window.addEventListener('pagehide', this.onUnload);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  /** Opens the connection (called for you on `load`). */
  initialise = (): void => {
    if (this.#stopped || this.socket !== undefined) return;
    const socket = new WebSocket(this.#url);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = this.#onMessage;
    socket.onopen = this.#onOpen;
    socket.onclose = this.#onClose;
    socket.onerror = (event) => this.#emit('error', event);
    this.socket = socket;
  };

  /** Closes quietly when the page goes away (it reopens if the page comes back from the back/forward cache). */
  onUnload = (): void => {
    this.#stop();
  };

  /** Adds a message listener, or with a first argument of `'open'`, `'close'` or `'error'`, a status listener. */
  addEventListener(listener: HiseMessageListener): void;
  addEventListener(type: HiseStatus, listener: HiseStatusListener): void;
  addEventListener(a: HiseMessageListener | HiseStatus, b?: HiseStatusListener): void {
    if (typeof a === 'function') this.eventListeners.push(a);
    else if (b !== undefined && this.#status[a] !== undefined) this.#status[a].push(b);
  }

  /** Removes a listener added with {@link addEventListener}. */
  removeEventListener(listener: HiseMessageListener): void;
  removeEventListener(type: HiseStatus, listener: HiseStatusListener): void;
  removeEventListener(a: HiseMessageListener | HiseStatus, b?: HiseStatusListener): void {
    // Copy on write, so removing from inside a listener never skips the next one.
    if (typeof a === 'function') this.eventListeners = this.eventListeners.filter((l) => l !== a);
    else if (this.#status[a] !== undefined) this.#status[a] = this.#status[a].filter((l) => l !== b);
  }

  /** Sends a string (text frame) or a `Float32Array` (binary frame, its raw bytes), as HISE's client does. */
  send(data: HiseOutgoing): HiseSendResult {
    if (this.socket?.readyState === OPEN) {
      this.socket.send(data);
      return 'sent';
    }
    if (this.initQueue.length >= this.#maxQueue) {
      this.#emit('error', new Error(`send queue full (${this.#maxQueue} messages): message dropped`));
      return 'dropped';
    }
    this.initQueue.push(data);
    return 'queued';
  }

  /** True while the connection is open. */
  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  /** Closes for good: no reconnect. */
  close(): void {
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#stop();
  }

  /** Parses one message of HISE's format (kept for pages that call it); float data is a copy that owns exactly its samples. */
  parseWebSocketMessage(bytes: Uint8Array): { id: string; data: HiseData } {
    const { id, data } = decodeMessage(bytes);
    return { id, data: typeof data === 'string' || data.buffer !== bytes.buffer ? data : data.slice() };
  }

  readonly #onMessage = (event: MessageEvent): void => {
    let id: string, data: HiseData;
    try {
      // Each Float32Array owns exactly its samples, as HISE's client gives (one copy; bench/ANALYSIS.md §6).
      ({ id, data } = decodeMessage(new Uint8Array(event.data as ArrayBuffer), { exact: true }));
    } catch (error) {
      this.#emit('error', error);
      return;
    }
    const listeners = this.eventListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(id, data);
      } catch (error) {
        reportError(error);
      }
    }
  };

  readonly #onOpen = (event: Event): void => {
    this.#reconnect.opened();
    const queued = this.initQueue;
    this.initQueue = [];
    for (const data of queued) this.socket!.send(data);
    this.#emit('open', event);
  };

  readonly #onClose = (event: CloseEvent): void => {
    this.socket = undefined;
    this.#logRefusal(event);
    this.#emit('close', event);
    if (this.#stopped || !this.#reconnectEnabled) return;
    this.#reconnect.schedule(this.initialise);
  };

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    this.#stopped = false;
    this.initialise();
  };

  #stop(): void {
    this.#stopped = true;
    this.#reconnect.cancel();
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return;
    socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
    try {
      socket.close();
    } catch {
      // closing during unload must never throw
    }
  }

  #emit(type: HiseStatus, event: unknown): void {
    const listeners = this.#status[type];
    if (type === 'error' && listeners.length === 0 && event instanceof Error) console.warn('[HiseWebSocketServer]', event.message);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
