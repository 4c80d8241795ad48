import { answerCall, BridgeCall, CallError, encodeCallError, FrameType, readCall, readReply, type CallHandler } from '../protocol/index.js';
import type { Capability, FrameTable } from './capability.js';
import type { HostCore } from './core.js';
import { controlFrame } from './delivery/outbound.js';
import { WebViewError } from './errors.js';
import { Observers } from './observer.js';
import type { Connection } from './pages/connection.js';
import type { Page } from './pages/page.js';
import type { PageRegistry } from './pages/registry.js';
import { callTarget } from './pages/tabs.js';

/**
 * Calls both ways between the host and modern pages (PROTOCOL.md §4, "Calls"): the functions the
 * host offers (`handle`) answered to pages, at most `maxIncomingCalls` at once per connection; the
 * host's calls to a page's functions (`call`), with their timeouts, settled by the page's replies.
 */
export class Calls implements Capability {
  readonly #core: HostCore;
  readonly #pages: PageRegistry;
  /** The functions pages may call: the host's own (`handle`) and the bridge's (`$…`). */
  readonly #handlers = new Map<string, CallHandler>();
  /** Calls from each connection whose handlers have not finished yet. */
  readonly #running = new WeakMap<Connection, number>();
  readonly frames: FrameTable = {
    [FrameType.Call]: (connection, frame) => this.#answer(connection, readCall(frame)),
    [FrameType.Result]: (connection, frame) => connection.calls.settle(readReply(frame)),
    [FrameType.Error]: (connection, frame) => connection.calls.settle(readReply(frame)),
  };

  constructor(core: HostCore, pages: PageRegistry) {
    this.#core = core;
    this.#pages = pages;
  }

  /** Offers `fn` as `name` (`undefined` removes it). @throws {WebViewError} `INVALID_OPTION` */
  handle(name: string, fn: CallHandler | undefined): void {
    if (fn !== undefined && typeof fn !== 'function') throw new WebViewError('INVALID_OPTION', `handle('${name}') needs a function`);
    if (this.#core.registrations.stale) return;
    if (fn === undefined) {
      this.#handlers.delete(name);
      return;
    }
    this.#handlers.set(name, fn);
    this.#core.registrations.own(() => this.#handlers.get(name) === fn && this.#handlers.delete(name));
  }

  /** Offers one of the bridge's own functions (`$…`, see {@link BridgeCall}): never a user's name, never undone. */
  handleBridge(name: (typeof BridgeCall)[keyof typeof BridgeCall], fn: CallHandler): void {
    this.#handlers.set(name, fn);
  }

  /** Runs a function offered with `handle` as a page's call would (not the bridge's own `$…`); `undefined` when there is none. */
  runHandled(name: string, args: readonly unknown[]): { value: unknown } | undefined {
    const handler = name.startsWith('$') ? undefined : this.#handlers.get(name);
    return handler === undefined ? undefined : { value: (handler as (...values: unknown[]) => unknown)(...args) };
  }

  /** Calls `name` on one page (its connection that answers it), or on every modern page. */
  call(target: Page | 'all', name: string, args: unknown[]): Promise<unknown> {
    if (target === 'all') return Promise.allSettled(this.#pages.pages.filter((page) => page.extended).map((page) => this.#callTab(page, name, args)));
    return this.#callTab(target, name, args);
  }

  /** Calls `name` over one connection (a bridge's, for direct communication). */
  callConnection(connection: Connection, name: string, args: unknown[]): Promise<unknown> {
    if (!connection.extended) return Promise.reject(new CallError('NOT_SUPPORTED', `page ${connection.id} uses HISE's format, which has no calls`));
    if (!this.#pages.isOpen(connection)) return Promise.reject(new CallError('DISCONNECTED', `page ${connection.id} is not connected`));
    let started: ReturnType<Connection['calls']['start']>;
    try {
      started = connection.calls.start(name, args);
    } catch (error) {
      return Promise.reject(error);
    }
    connection.deliver(controlFrame(started.frame));
    const settle = this.#core.observers.callStarted('host-to-page', name, args, connection.page);
    if (settle === undefined) return started.result;
    started.result.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    );
    return started.result;
  }

  detach(connection: Connection): void {
    connection.calls.rejectAll('DISCONNECTED', `page ${connection.id} disconnected`);
  }

  /** A call to a page goes to its connection that answers it (see {@link callTarget}). */
  #callTab(page: Page, name: string, args: unknown[]): Promise<unknown> {
    try {
      const target = callTarget(page, name, this.#core.options.callTimeout, (p) => this.#pages.has(p));
      return target instanceof Promise ? target.then((connection) => this.callConnection(connection, name, args)) : this.callConnection(target, name, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #answer(connection: Connection, call: ReturnType<typeof readCall>): void {
    const { maxIncomingCalls, maxCallArguments } = this.#core.options;
    const running = this.#running.get(connection) ?? 0;
    if (running >= maxIncomingCalls) {
      const refusal = new CallError('TOO_MANY_CALLS', `${maxIncomingCalls} calls from this page are already running; '${call.name}' was not run`);
      connection.deliver(controlFrame(encodeCallError(call.callId, refusal)));
      return;
    }
    this.#running.set(connection, running + 1);
    const settle = this.#core.observers.callStarted('page-to-host', call.name, call.args, connection.page);
    void answerCall(this.#handlers, call, maxCallArguments)
      .finally(() => this.#running.set(connection, (this.#running.get(connection) ?? 1) - 1))
      .then((reply) => {
        Observers.settleFromReply(settle, reply);
        connection.deliver(controlFrame(reply));
      });
  }
}
