import type { IncomingMessage } from 'node:http';
import { BRIDGE_PARAM, OWNED_PARAM, OWNED_VERSION, PendingCalls, SESSION_PARAM, STREAMS_PARAM, STREAMS_VERSION, SUBPROTOCOL } from '../../protocol/index.js';
import { FreshStreams, type FreshStreamsLimits } from '../delivery/fresh-streams.js';
import type { ParsedRequest } from '../http/request.js';
import type { OutboundMessage, WireFrame } from '../delivery/outbound.js';
import { PageOutbox, type DeliveryResult, type OutboxStats } from '../delivery/page-outbox.js';
import type { PageSocket } from './page-socket.js';
import { WriteBatch } from '../delivery/write-batch.js';
import { CloseCode, type Page } from './page.js';

/** Limits a connection is created with. */
export interface ConnectionLimits extends FreshStreamsLimits {
  highWaterMark: number;
  maxQueuedBytes: number;
  callTimeout: number;
  maxPendingCalls: number;
}

/**
 * One WebSocket of a {@link Page}: its outbound queue, its calls, and whether it still answers. A
 * page the host serves has its bridge's connection and the connections its own clients open; any
 * other page has exactly one.
 */
export class Connection {
  /** The page (browser tab) this connection belongs to. */
  readonly page: Page;
  /** The `Origin` header of its handshake; undefined for non-browser clients. */
  readonly origin: string | undefined;
  /** The request path of its handshake, e.g. `/`. */
  readonly path: string;
  readonly remoteAddress: string | undefined;
  /** @internal The TCP (or TLS) socket its handshake arrived on: what the LAN knows its device by. */
  readonly transport: object;
  /**
   * True when the connection negotiated the `hise-webview.1` extension (our modern client): it gets ids
   * both ways, more payload types, sequence numbers and calls. False for HISE's own client and the
   * drop-in, which get exactly HISE's frames.
   */
  readonly extended: boolean;
  /** True for the connection of the host's bridge (direct communication only: bound callbacks, `callFunction`, `evaluate`; never data). */
  readonly bridged: boolean;
  /** The client's session id (extended pages), stable across its reconnects. */
  readonly session: string | undefined;
  /** Settles once the connection has closed, whoever closed it. */
  readonly closed: Promise<void>;
  /** @internal Calls the host made over this connection and is waiting for. */
  readonly calls: PendingCalls;
  /**
   * Fresh streams (flow control, subscriptions, visibility, time; PROTOCOL.md §4.8) of a modern
   * page that offered them (`?streams=1`); undefined for every other connection, which gets streams
   * as before.
   */
  readonly streams: FreshStreams | undefined;
  /** True when the page offered owned stream frames (`?owned=1`, PROTOCOL.md §4.9): it gets each as head + payload. */
  readonly owned: boolean;
  readonly #socket: PageSocket;
  readonly #outbox: PageOutbox;
  #answeredPing = true;

  /** @internal Created by the host for each accepted connection. */
  constructor(
    page: Page,
    socket: PageSocket,
    request: IncomingMessage,
    parsed: ParsedRequest,
    limits: ConnectionLimits,
    onOverflow: (connection: Connection) => void,
  ) {
    this.page = page;
    this.origin = request.headers.origin;
    this.path = parsed.pathname;
    this.remoteAddress = request.socket.remoteAddress;
    this.transport = request.socket;
    this.extended = socket.protocol === SUBPROTOCOL;
    this.bridged = this.extended && parsed.query.has(BRIDGE_PARAM);
    this.session = this.extended ? (parsed.query.get(SESSION_PARAM) ?? undefined) : undefined;
    this.calls = new PendingCalls({ timeout: limits.callTimeout, max: limits.maxPendingCalls });
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // ws writes to the request's socket: the frames of one turn go out in one writev.
    const batch = typeof request.socket?.cork === 'function' ? new WriteBatch(request.socket) : undefined;
    const sink = {
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      send(bytes: Uint8Array, written: (error?: Error | null) => void) {
        batch?.writing();
        socket.send(bytes, written);
      },
    };
    const offersStreams = this.extended && !this.bridged && parsed.query.get(STREAMS_PARAM) === String(STREAMS_VERSION);
    this.owned = this.extended && !this.bridged && parsed.query.get(OWNED_PARAM) === String(OWNED_VERSION);
    this.streams = offersStreams
      ? new FreshStreams({ stream: (frame) => this.#outbox.send(frame), control: (frame) => this.#outbox.send(frame) }, limits)
      : undefined;
    this.#outbox = new PageOutbox(sink, limits, () => onOverflow(this), this.streams && ((frame) => this.streams!.discarded(frame)));
    this.closed.then(() => this.streams?.close(), () => undefined);
    socket.on('pong', this.#markAlive);
    socket.on('message', this.#markAlive);
  }

  /** The id of its page (for messages about it). */
  get id(): number {
    return this.page.id;
  }

  /** Frames sent and coalesced so far (under backpressure, and while waiting for fresh-streams credit). */
  get stats(): Readonly<OutboxStats> {
    const { framesSent, framesCoalesced } = this.#outbox.stats;
    return { framesSent, framesCoalesced: framesCoalesced + (this.streams?.coalesced ?? 0) };
  }

  /** Bytes waiting for this connection: in the socket's buffer plus held back by backpressure (and by fresh streams). */
  get bufferedBytes(): number {
    return this.controlQueueBytes + (this.streams?.waitingBytes ?? 0);
  }

  /**
   * Bytes a control frame sent now would queue behind: the socket's buffer and the outbox, not the
   * stream frames fresh streams hold back (they never go ahead of control frames).
   */
  get controlQueueBytes(): number {
    return this.#socket.bufferedAmount + this.#outbox.queuedBytes;
  }

  /** True while frames are held back because the page is not reading this connection fast enough. */
  get congested(): boolean {
    return this.#outbox.congested;
  }

  /** @internal Offers a message in the form this connection reads; `'skipped'` when it cannot read it. */
  deliver(message: OutboundMessage | WireFrame): DeliveryResult | 'skipped' {
    const frame = 'forPage' in message ? message.forPage(this.extended, this.streams !== undefined, this.owned) : message;
    if (frame === null) return 'skipped';
    if (frame.kind === 'stream' && this.streams !== undefined) return this.streams.offer(frame);
    return this.#outbox.send(frame);
  }

  /**
   * @internal One heartbeat: false (and the connection is cut off) when it has not answered the previous
   * ping; otherwise pings again.
   */
  heartbeat(): boolean {
    if (!this.#answeredPing) {
      this.terminate();
      return false;
    }
    this.#answeredPing = false;
    this.#socket.ping();
    return true;
  }

  /** Starts the closing handshake. */
  close(code: number = CloseCode.GOING_AWAY, reason = ''): void {
    this.#socket.close(code, reason);
  }

  /** Cuts the connection at once. */
  terminate(): void {
    this.#outbox.clear();
    this.#socket.terminate();
  }

  readonly #markAlive = (): void => {
    this.#answeredPing = true;
  };
}
