import type { IncomingMessage } from 'node:http';
import type { Connection } from './connection.js';
import type { ParsedRequest } from '../http/request.js';
import type { OutboundMessage, WireFrame } from '../delivery/outbound.js';
import type { FreshStreamsStats } from '../delivery/fresh-streams.js';
import type { DeliveryResult, OutboxStats } from '../delivery/page-outbox.js';
import { PendingMessages } from '../delivery/pending-messages.js';

/** Close codes the host uses (RFC 6455 §7.4.1). */
export const CloseCode = {
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * One page: a browser tab. A page the host serves (or that includes the host's bridge) is one
 * page however many sockets it opens: the bridge's own connection and those of its clients (the
 * drop-in, HISE's client, the modern client) carry the same tab id and are this page's
 * {@link connections}. A page without the bridge (e.g. a HISE-style page on another server) is one
 * page per connection, as in HISE.
 */
export class Page {
  /** Unique per host, counting from 1. */
  readonly id: number;
  /** The tab id the page's bridge chose (random per document); undefined for a page without the bridge. */
  readonly tab: string | undefined;
  /** The `Origin` header of its first connection's handshake; undefined for non-browser clients. */
  readonly origin: string | undefined;
  /** The request path of its first connection's handshake, e.g. `/`. */
  readonly path: string;
  readonly remoteAddress: string | undefined;
  /**
   * With `shared: true`: the id of the instance this page belongs to (`wv.instances.self` for the
   * host's own pages, another instance's id for a page of another instance); undefined otherwise.
   */
  instance: string | undefined = undefined;
  /** @internal Set for another instance's page on a shared port: what that instance told about it. */
  remote: { readonly extended: boolean } | undefined = undefined;
  /** Settles once the page has gone: its last connection closed, whoever closed it. */
  readonly closed: Promise<void>;
  readonly #connections = new Set<Connection>();
  /** What `sendTo` sent while the page had no connection that takes data: the latest per id. */
  readonly #held: PendingMessages<OutboundMessage>;
  readonly #joined = new Set<() => void>();
  #bridges = 0;
  #resolveClosed!: () => void;

  /** @internal Created by the host for the first connection of a page. */
  constructor(id: number, tab: string | undefined, request: IncomingMessage, parsed: ParsedRequest, maxHeld: number) {
    this.id = id;
    this.tab = tab;
    this.origin = request.headers.origin;
    this.path = parsed.pathname;
    this.remoteAddress = request.socket.remoteAddress;
    this.#held = new PendingMessages(maxHeld, 'latest-last');
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  /** Its open connections: the bridge's (if any) and those of its clients. */
  get connections(): readonly Connection[] {
    return [...this.#connections];
  }

  /**
   * True when one of its clients negotiated the `hise-webview.1` extension (our modern client): it
   * gets ids both ways, more payload types, sequence numbers and calls. False for pages that read
   * HISE's frames only (HISE's own client, the drop-in), and for a page with only the bridge.
   */
  get extended(): boolean {
    if (this.remote !== undefined) return this.remote.extended;
    return this.dataConnections().some((connection) => connection.extended);
  }

  /** True for a page running the host's bridge (direct communication: bound callbacks, `callFunction`, `evaluate`). */
  get bridged(): boolean {
    return [...this.#connections].some((connection) => connection.bridged);
  }

  /** The session id of its modern client, stable across its reconnects. */
  get session(): string | undefined {
    return this.dataConnections().find((connection) => connection.session !== undefined)?.session;
  }

  /** Frames sent and coalesced so far, over its connections. */
  get stats(): Readonly<OutboxStats> {
    const stats: OutboxStats = { framesSent: 0, framesCoalesced: 0 };
    for (const connection of this.#connections) {
      stats.framesSent += connection.stats.framesSent;
      stats.framesCoalesced += connection.stats.framesCoalesced;
    }
    return stats;
  }

  /**
   * Fresh streams of its modern client (bytes in flight, window, visibility, per-id sent /
   * coalesced / unsubscribed counts); undefined when no connection of it speaks fresh streams.
   */
  get streamStats(): FreshStreamsStats | undefined {
    return this.dataConnections().find((connection) => connection.streams !== undefined)?.streams!.stats;
  }

  /**
   * Resolves once no stream frame waits for this page's fresh-streams credit, visibility or rate
   * cap (at once when none does, or without fresh streams): lets a producer that sends as fast as
   * the page takes wait for room instead of polling.
   */
  whenStreamsFree(): Promise<void> {
    return Promise.all(this.dataConnections().map((connection) => connection.streams?.whenFree())).then(() => undefined);
  }

  /** Bytes waiting for this page: in its sockets' buffers plus held back by backpressure. */
  get bufferedBytes(): number {
    let bytes = 0;
    for (const connection of this.#connections) bytes += connection.bufferedBytes;
    return bytes;
  }

  /** True while frames are held back because the page is not keeping up. */
  get congested(): boolean {
    return [...this.#connections].some((connection) => connection.congested);
  }

  /** @internal Offers a message to each connection that takes data; `'skipped'` when none can read it. */
  deliver(message: OutboundMessage | WireFrame): DeliveryResult | 'skipped' {
    let result: DeliveryResult | 'skipped' = 'skipped';
    for (const connection of this.dataConnections()) {
      const delivered = connection.deliver(message);
      if (delivered !== 'skipped') result = delivered;
    }
    return result;
  }

  /** Starts the closing handshake of every connection. */
  close(code: number = CloseCode.GOING_AWAY, reason = ''): void {
    for (const connection of this.#connections) connection.close(code, reason);
  }

  /** Cuts every connection at once. */
  terminate(): void {
    for (const connection of this.#connections) connection.terminate();
  }

  /** @internal Its connections that take data: all but the bridge's own. */
  dataConnections(): Connection[] {
    return [...this.#connections].filter((connection) => !connection.bridged);
  }

  /**
   * @internal True while the page has its bridge but no client connection (the bridge connects
   * first; the page's client may follow): what is sent to it meanwhile is held for that client.
   */
  get awaitsClient(): boolean {
    return this.#bridges > 0 && this.#bridges === this.#connections.size;
  }

  /** @internal A connection of this page opened. */
  add(connection: Connection): void {
    this.#connections.add(connection);
    if (connection.bridged) this.#bridges++;
    for (const wake of [...this.#joined]) wake();
  }

  /** @internal A connection of this page closed; true when it was the last (the page has gone). */
  remove(connection: Connection): boolean {
    if (this.#connections.delete(connection) && connection.bridged) this.#bridges--;
    if (this.#connections.size > 0) return false;
    this.#held.clear();
    this.#resolveClosed();
    for (const wake of [...this.#joined]) wake();
    return true;
  }

  /**
   * @internal Holds `message` (latest per id) for the page's next connection that takes data;
   * false when `maxHeld` ids are held already.
   */
  hold(message: OutboundMessage): boolean {
    return this.#held.hold(message.id, message);
  }

  /** @internal What was held for a connection that takes data, oldest id first (then forgotten). */
  takeHeld(): OutboundMessage[] {
    return this.#held.take();
  }

  /** @internal Resolves at the next change of its connections (one joined, or the page went), or after `timeout` ms. */
  nextChange(timeout: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#joined.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeout);
      this.#joined.add(wake);
    });
  }
}
