import { FrameType, readPayload, type Frame } from '../protocol/index.js';
import type { Capability, FrameTable } from './capability.js';
import type { HostCore } from './core.js';
import type { InboundOrder } from './delivery/inbound-order.js';
import { WebViewError } from './errors.js';
import { now } from './observer.js';
import type { Connection } from './pages/connection.js';
import type { Page } from './pages/page.js';

/**
 * The one receiver of every page message: a string, parsed JSON, or a `Float32Array` from HISE-style
 * pages (whose messages have no id), any payload type with its `id` from modern pages.
 */
export type WebSocketCallback = (data: unknown, page: Page, id: string | undefined) => unknown;

type MessageHandler = (value: unknown, page: Page) => unknown;

/**
 * What pages send to the host's code: a modern page's data frames (delivered once, by sequence
 * number) and a HISE-format page's messages go to the `onMessage(id)` handlers and the catch-all
 * `setWebSocketCallback`, whose failures are contained and reported. Relays each message to the
 * other instances of a shared port.
 */
export class Inbox implements Capability {
  readonly #core: HostCore;
  readonly #order: InboundOrder;
  readonly #handlers = new Map<string, Set<MessageHandler>>();
  #callback: WebSocketCallback | undefined;
  readonly frames: FrameTable;

  constructor(core: HostCore, order: InboundOrder) {
    this.#core = core;
    this.#order = order;
    const data = (connection: Connection, frame: Frame): void => this.#receiveData(connection, frame);
    this.frames = Object.fromEntries(DATA_TYPES.map((type) => [type, data]));
  }

  /** @returns the function that removes `handler` */
  onMessage(id: string, handler: MessageHandler): () => void {
    if (this.#core.registrations.stale) return () => undefined;
    let set = this.#handlers.get(id);
    if (set === undefined) this.#handlers.set(id, (set = new Set()));
    set.add(handler);
    const off = (): void => this.offMessage(id, handler);
    this.#core.registrations.own(off);
    return off;
  }

  offMessage(id: string, handler: MessageHandler): void {
    const set = this.#handlers.get(id);
    set?.delete(handler);
    if (set?.size === 0) this.#handlers.delete(id);
  }

  /** @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket`, as in HISE; `INVALID_OPTION` */
  setCallback(callback: WebSocketCallback | undefined): void {
    if (this.#core.started === undefined) throw new WebViewError('NOT_ENABLED', 'call setEnableWebSocket before setWebSocketCallback');
    if (callback !== undefined && typeof callback !== 'function') throw new WebViewError('INVALID_OPTION', 'the WebSocket callback must be a function');
    if (this.#core.registrations.stale) return;
    this.#callback = callback;
    if (callback !== undefined) this.#core.registrations.own(() => this.#callback === callback && (this.#callback = undefined));
  }

  /** A HISE-format page's message (its parameter messages were taken before). */
  hiseMessage(connection: Connection, message: unknown): boolean {
    this.#dispatch(connection, undefined, message);
    return true;
  }

  /** Hands one message of another instance's page (shared port) to the handlers. */
  dispatchPage(page: Page, id: string | undefined, value: unknown): void {
    if (this.#core.observers.active) this.#core.observers.emit({ type: 'receive', time: now(), id, data: value, page });
    if (id !== undefined) {
      for (const handler of this.#handlers.get(id) ?? []) this.#invoke(() => handler(value, page), page);
    }
    const callback = this.#callback;
    if (callback !== undefined) this.#invoke(() => callback(value, page, id), page);
  }

  #receiveData(connection: Connection, frame: Frame): void {
    const verdict = this.#order.judge(connection, frame);
    if (verdict === 'refused') return;
    const value = readPayload(frame);
    if (verdict === 'new') this.#dispatch(connection, frame.id, value);
  }

  #dispatch(from: Connection, id: string | undefined, value: unknown): void {
    this.dispatchPage(from.page, id, value);
    this.#core.shared?.relayPageMessage(from.page, id, value);
  }

  #invoke(run: () => unknown, page: Page): void {
    try {
      const result = run();
      if (result instanceof Promise) result.catch((error: unknown) => this.#reportFailure(error, page));
    } catch (error) {
      this.#reportFailure(error, page);
    }
  }

  #reportFailure(error: unknown, page: Page): void {
    this.#core.report(new WebViewError('CALLBACK_FAILED', `a message handler failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), page);
  }
}

/** The frame types that carry a page's data (PROTOCOL.md §4). */
const DATA_TYPES = [FrameType.String, FrameType.Float32, FrameType.Json, FrameType.Bytes, FrameType.Int16, FrameType.Int32, FrameType.Float64];
