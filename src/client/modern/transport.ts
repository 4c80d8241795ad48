import { CallError } from '../../protocol/calls.js';
import { OWNED_PARAM, OWNED_VERSION, SESSION_PARAM, STREAMS_PARAM, STREAMS_VERSION, SUBPROTOCOL, TOKEN_PARAM } from '../../protocol/extension.js';
import { createSessionId } from '../../protocol/session-id.js';
import { Reconnect } from '../reconnect.js';
import { refusalLog, type CloseLike } from '../refusals.js';
import { reportError } from '../report-error.js';
import type { ResolvedOptions } from './options.js';
import type { ClientMode, ClientStatus, Outbound, WebSocketLike, Write } from './types.js';

const OPEN = 1;

/** What the transport tells the client about its connection. */
export interface TransportEvents {
  /** A connection opened in `mode`; `write` goes to its socket only. */
  opened(mode: ClientMode, write: Write): void;
  /** The open (or opening) connection has gone. */
  closed(): void;
  /** A binary message arrived (hosts send no text). */
  message(bytes: Uint8Array): void;
}

/**
 * The modern client's connection: the socket, its status and mode, reconnect with backoff, the
 * subprotocol fallback for hosts that ignore it (HISE), the host's refusals logged in the console,
 * and `ready`.
 */
export class Transport {
  /** Resolves when the first connection opens; rejects if {@link close} comes first. */
  readonly ready: Promise<void>;
  #status: ClientStatus = 'connecting';
  #mode: ClientMode | undefined;
  #socket: WebSocketLike | undefined;
  #closedByUser = false;
  /**
   * Browsers fail a handshake that offered a subprotocol the server ignored (HISE does), so after a
   * failed attempt the next one goes without it. A host that speaks the extension refuses such an
   * attempt, and the client comes back with the subprotocol.
   */
  #offerSubprotocol: boolean;
  readonly #options: ResolvedOptions;
  readonly #url: string;
  readonly #events: TransportEvents;
  readonly #reconnect: Reconnect;
  readonly #logRefusal = refusalLog();
  readonly #statusListeners = new Set<(status: ClientStatus, mode: ClientMode | undefined) => void>();
  #readyResolve!: () => void;
  #readyReject!: (error: Error) => void;

  constructor(options: ResolvedOptions, freshStreams: boolean, events: TransportEvents) {
    this.#options = options;
    this.#url = socketUrl(options, freshStreams);
    this.#events = events;
    this.#offerSubprotocol = options.extensions;
    this.#reconnect = new Reconnect(options.minReconnectDelay, options.maxReconnectDelay);
    this.ready = new Promise((resolve, reject) => {
      this.#readyResolve = resolve;
      this.#readyReject = reject;
    });
    this.ready.catch(() => undefined); // not every caller awaits ready
  }

  get status(): ClientStatus {
    return this.#status;
  }

  get mode(): ClientMode | undefined {
    return this.#mode;
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === OPEN;
  }

  /** Writes to the open socket; false (nothing written) when there is none. */
  write(data: Outbound): boolean {
    if (this.#socket?.readyState !== OPEN) return false;
    this.#socket.send(data);
    return true;
  }

  /** A write bound to the current socket: what it is given later never goes to another connection. */
  writer(): Write {
    const socket = this.#socket;
    return (data) => {
      if (socket?.readyState === OPEN) socket.send(data);
    };
  }

  onStatus(listener: (status: ClientStatus, mode: ClientMode | undefined) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Resolves when a connection is open (at once if one is); rejects once the client is closed. */
  whenOpen(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    if (this.#closedByUser) return Promise.reject(new CallError('DISCONNECTED', 'the client was closed'));
    return new Promise((resolve, reject) => {
      const off = this.onStatus((status) => {
        if (status === 'open') resolve();
        else if (status === 'closed' && this.#closedByUser) reject(new CallError('DISCONNECTED', 'the client was closed'));
        else return;
        off();
      });
    });
  }

  open(): void {
    if (this.#closedByUser) return;
    this.#setStatus('connecting');
    const { WebSocket } = this.#options;
    const socket = this.#offerSubprotocol ? new WebSocket(this.#url, [SUBPROTOCOL]) : new WebSocket(this.#url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.#onOpen(socket);
    socket.onmessage = ({ data }) => {
      if (data instanceof ArrayBuffer) this.#events.message(new Uint8Array(data)); // hosts only send binary frames
    };
    socket.onclose = (event) => this.#onClose(socket, event as CloseLike);
    socket.onerror = () => undefined; // a close event always follows
    this.#socket = socket;
  }

  /** Closes for good: no reconnect. `letGo` runs once the socket is closed, before the status listeners hear `closed`. */
  close(letGo: () => void): void {
    this.#closedByUser = true;
    this.#reconnect.cancel();
    this.#readyReject(new CallError('DISCONNECTED', 'closed before the connection opened'));
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      try {
        socket.close(1000);
      } catch {
        // closing during unload must never throw
      }
    }
    letGo();
    this.#setStatus('closed');
  }

  #onOpen(socket: WebSocketLike): void {
    this.#reconnect.opened();
    this.#mode = socket.protocol === SUBPROTOCOL ? 'extended' : 'legacy';
    this.#events.opened(this.#mode, this.writer());
    this.#setStatus('open');
    this.#readyResolve();
  }

  #onClose(socket: WebSocketLike, event: CloseLike): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    this.#logRefusal(event);
    // Never opened: try the other way (unless the page asked for HISE's format only).
    if (!this.#reconnect.wasOpen && this.#options.extensions) this.#offerSubprotocol = !this.#offerSubprotocol;
    this.#events.closed();
    this.#setStatus('closed');
    if (this.#closedByUser || !this.#options.reconnect) return;
    this.#reconnect.schedule(() => this.open());
  }

  #setStatus(status: ClientStatus): void {
    this.#status = status;
    for (const listener of this.#statusListeners) {
      try {
        listener(status, this.#mode);
      } catch (error) {
        reportError(error);
      }
    }
  }
}

/**
 * The socket's URL: the session (so a reconnect resumes it), the fresh-streams and owned-frames offers, the token. A
 * client that never offers the extension (`extensions: false`, a page meant for HISE) names no
 * session: a host that speaks the extension answers a session without the subprotocol with 426, to
 * have the client offer it again, which this one never would.
 */
function socketUrl(options: ResolvedOptions, freshStreams: boolean): string {
  const url = new URL(options.url);
  if (options.extensions) url.searchParams.set(SESSION_PARAM, createSessionId());
  if (freshStreams) url.searchParams.set(STREAMS_PARAM, String(STREAMS_VERSION));
  if (options.ownedFrames && options.extensions) url.searchParams.set(OWNED_PARAM, String(OWNED_VERSION));
  if (options.token !== undefined) url.searchParams.set(TOKEN_PARAM, options.token);
  return url.toString();
}
