import { decodeFrame, readPayload } from '../protocol/index.js';
import type { HubDataHeader } from '../protocol/hub.js';
import type { Capability } from './capability.js';
import type { HostCore } from './core.js';
import type { Delivery } from './delivery/delivery.js';
import { anyMessage, checkAttached, hiseMessage, type OutboundMessage, type SendOptions } from './delivery/outbound.js';
import { PendingMessages } from './delivery/pending-messages.js';
import { WebViewError } from './errors.js';
import { now } from './observer.js';
import type { Connection } from './pages/connection.js';
import type { Page } from './pages/page.js';
import type { PageRegistry } from './pages/registry.js';

/** Where a message went: to the connected pages, held for the first page to connect, or dropped. */
export type SendResult = 'sent' | 'queued' | 'dropped';

/** Highest index `addBufferToWebSocket` accepts (HISE's limit). */
export const MAX_BUFFER_INDEX = 255;

/**
 * What the host sends to pages (HISE's `sendToWebSocket`, `send`, `sendTo`, buffers): numbers each
 * id's stream, holds the latest message per id while no page is connected, keeps the retained ids'
 * latest messages, and greets every page that connects with what it should start from. Relays
 * broadcasts to the other instances of a shared port.
 */
export class Broadcast implements Capability {
  readonly #core: HostCore;
  readonly #pages: PageRegistry;
  readonly #delivery: Delivery;
  readonly #pending: PendingMessages<OutboundMessage>;
  /** The retained ids and the latest message of each (undefined: none yet). */
  readonly retained = new Map<string, OutboundMessage | undefined>();
  readonly #buffers = new Map<number, Float32Array>();
  readonly #streamSeq = new Map<string, number>();

  constructor(core: HostCore, pages: PageRegistry, delivery: Delivery) {
    this.#core = core;
    this.#pages = pages;
    this.#delivery = delivery;
    this.#pending = new PendingMessages(core.options.maxPendingIds);
  }

  /**
   * HISE's send (`sendToWebSocket`, or its alias `sendToWebsocket` as HISE's docs spell it):
   * strings, float32 and JSON text, to every page. In HISE-strict mode, as HISE sends them.
   */
  sendHise(id: string, data: string | Float32Array | object, spelling: 'sendToWebSocket' | 'sendToWebsocket' = 'sendToWebSocket'): SendResult {
    this.#core.assertOpen();
    if (this.#core.hise !== undefined) return this.#core.hise.send(id, data, spelling);
    return this.sendHiseMessage(hiseMessage(id, data, () => this.nextSeq(id)), data);
  }

  /** Sends a made HISE message to every page now (HISE-strict mode's send cycle ends here too). */
  sendHiseMessage(message: OutboundMessage, data: unknown): SendResult {
    const result = this.#observe(message, data, undefined, this.#broadcast(message), 'sendToWebsocket');
    this.#core.shared?.relaySend('hise', message.id, data);
    return result;
  }

  /**
   * Sends a made HISE message to the first open page only, now (how HISE sends buffers).
   * @returns that page and how many other pages were open; undefined when none was
   */
  sendToFirstPage(message: OutboundMessage, data: unknown): { page: Page; others: number } | undefined {
    const [first, ...rest] = this.#pages.dataConnections();
    this.#observe(message, data, first?.page, first === undefined ? 'dropped' : 'sent', 'sendToWebsocket');
    if (first === undefined) return undefined;
    this.#delivery.deliverTo(first, message);
    return { page: first.page, others: new Set(rest.map((connection) => connection.page).filter((page) => page !== first.page)).size };
  }

  /** Any value the extension carries, to every page. */
  send(id: string, data: unknown, options?: SendOptions): SendResult {
    this.#core.assertOpen();
    const message = anyMessage(id, data, () => this.nextSeq(id), options);
    const result = this.#observe(message, data, undefined, this.#broadcast(message), 'send');
    this.#core.shared?.relaySend('any', id, data, message.meta);
    return result;
  }

  /** Any value the extension carries, to one page. */
  sendTo(page: Page, id: string, data: unknown, options?: SendOptions): SendResult {
    this.#core.assertOpen();
    const message = anyMessage(id, data, () => this.nextSeq(id), options);
    return this.#observe(message, data, page, this.#sendToPage(page, message), 'send');
  }

  /** Another instance's broadcast (shared port): to this instance's pages, retained when flagged. */
  deliverRelayed(api: 'hise' | 'any', id: string, value: unknown, retained: boolean, meta: HubDataHeader['m']): void {
    if (this.#core.closed) return;
    if (retained) this.retain([id]);
    this.#broadcast(api === 'hise' ? hiseMessage(id, value, () => this.nextSeq(id)) : anyMessage(id, value, () => this.nextSeq(id), meta));
  }

  retain(ids: readonly string[]): void {
    for (const id of ids) if (!this.retained.has(id)) this.retained.set(id, undefined);
  }

  /** The retained ids with the latest value each has sent (`undefined`: none yet). */
  get retainedValues(): ReadonlyMap<string, unknown> {
    return new Map([...this.retained].map(([id, message]) => [id, message === undefined ? undefined : readPayload(decodeFrame(message.forPage(true)!.bytes))]));
  }

  /** @throws {WebViewError} `INVALID_BUFFER_INDEX`, `UNSUPPORTED_DATA`, `DETACHED_BUFFER` */
  addBuffer(index: number, buffer: Float32Array): void {
    if (this.#core.hise !== undefined) return this.#core.hise.addBuffer(index, buffer);
    checkBufferIndex(index);
    if (!(buffer instanceof Float32Array)) throw new WebViewError('UNSUPPORTED_DATA', 'addBufferToWebSocket needs a Float32Array');
    checkAttached(buffer);
    this.#buffers.set(index, buffer);
  }

  /** @throws {WebViewError} `INVALID_BUFFER_INDEX` when nothing is registered at `index` */
  updateBuffer(index: number): SendResult {
    if (this.#core.hise !== undefined) return this.#core.hise.updateBuffer(index);
    checkBufferIndex(index);
    const buffer = this.#buffers.get(index);
    if (buffer === undefined) throw new WebViewError('INVALID_BUFFER_INDEX', `no buffer is registered at index ${index}`);
    return this.sendHise(String(index), buffer);
  }

  /**
   * A page that takes data connected. The first page gets what was held while nobody was connected,
   * then what was held for its tab while only its bridge was connected, each once and except what
   * its session log just resent. Every page gets the retained ids, again on every reconnect, even
   * when the log resent one too (the page may not have had it): a page always starts from the
   * current state, and may see the latest value of a retained id twice.
   */
  attach(connection: Connection, first: boolean): void {
    if (connection.bridged) return;
    const resent = this.#delivery.open(connection);
    const flushed = new Set<OutboundMessage>();
    for (const message of [...(first ? this.#pending.take() : []), ...connection.page.takeHeld()]) {
      if (!resent.has(message) && !flushed.has(message)) this.#delivery.deliverTo(connection, message);
      flushed.add(message);
    }
    for (const message of this.retained.values()) {
      if (message !== undefined && !flushed.has(message)) this.#delivery.deliverTo(connection, message);
    }
  }

  dispose(): void {
    this.#pending.clear();
  }

  #broadcast(message: OutboundMessage): SendResult {
    if (this.retained.has(message.id)) this.retained.set(message.id, message);
    this.#delivery.holdForAbsent(message);
    this.#pages.holdForWaiting(message);
    if (!this.#pages.hasDataPages()) {
      if (this.#pending.hold(message.id, message)) return 'queued';
      if (this.retained.has(message.id)) return 'queued'; // a retained id reaches every page that connects
      const held = this.#core.options.maxPendingIds;
      this.#core.report(new WebViewError('PENDING_QUEUE_FULL', `no page is connected and ${held} ids are held: '${message.id}' was dropped`), undefined);
      return 'dropped';
    }
    for (const connection of this.#pages.dataConnections()) this.#delivery.deliverTo(connection, message);
    return 'sent';
  }

  #sendToPage(page: Page, message: OutboundMessage): SendResult {
    if (!this.#pages.has(page)) return 'dropped';
    const connections = page.dataConnections();
    if (connections.length === 0) return page.hold(message) ? 'queued' : 'dropped';
    for (const connection of connections) this.#delivery.deliverTo(connection, message);
    return 'sent';
  }

  #observe(message: OutboundMessage, data: unknown, page: Page | undefined, result: SendResult, via: 'sendToWebsocket' | 'send'): SendResult {
    const observers = this.#core.observers;
    if (observers.active) {
      const retained = this.retained.has(message.id);
      observers.emit({ type: 'send', time: now(), id: message.id, data, stream: message.kind === 'stream', page, result, via, retained, meta: message.meta });
    }
    return result;
  }

  /** The next number of `id`'s stream. */
  nextSeq(id: string): number {
    const seq = ((this.#streamSeq.get(id) ?? 0) + 1) >>> 0;
    this.#streamSeq.set(id, seq);
    return seq;
  }
}

function checkBufferIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_BUFFER_INDEX) {
    throw new WebViewError('INVALID_BUFFER_INDEX', `buffer index must be an integer from 0 to ${MAX_BUFFER_INDEX}, got ${String(index)}`);
  }
}
