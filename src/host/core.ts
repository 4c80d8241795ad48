import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Capability } from './capability.js';
import type { HiseStrict } from './hise-strict/hise-strict.js';
import { emitContained } from './contained-emit.js';
import { WebViewError } from './errors.js';
import type { WebViewEvents } from './events.js';
import { now, Observers, type Observer } from './observer.js';
import type { ResolvedWebViewOptions } from './options.js';
import { Connection } from './pages/connection.js';
import type { Page } from './pages/page.js';
import { Registrations } from './registrations.js';
import { Instances } from './shared-port/instances.js';
import type { SharedPort } from './shared-port/shared-port.js';

/**
 * What every capability of one host shares: the resolved options, error reporting, the host's
 * events and observers, the registrations of the run that calls now (dev restarts), and whether
 * the host has started or closed. One per `WebView`.
 */
export class HostCore {
  readonly options: Readonly<ResolvedWebViewOptions>;
  /** The token pages must present (`options.token`, or the random one of `token: 'auto'`). */
  readonly token: string | undefined;
  /** With `shared: true`: the instances sharing the port. */
  readonly instances: Instances | undefined;
  readonly observers: Observers;
  readonly registrations = new Registrations();
  /** The start (`setEnableWebSocket`): the bound port, once. */
  started: Promise<number> | undefined;
  /** The shared port, once joined or held (`shared: true`). */
  shared: SharedPort | undefined;
  /** With `hise: 'strict'`: the HISE-strict rules the other capabilities defer to (src/host/hise-strict/). */
  hise: HiseStrict | undefined;
  #closed = false;
  readonly #events: EventEmitter<WebViewEvents>;
  readonly #capabilities: Capability[] = [];

  constructor(options: Readonly<ResolvedWebViewOptions>, events: EventEmitter<WebViewEvents>) {
    this.options = options;
    this.#events = events;
    this.token = options.token === 'auto' ? randomBytes(18).toString('base64url') : options.token;
    this.instances = options.shared ? new Instances() : undefined;
    this.observers = new Observers((error) =>
      this.report(new WebViewError('OBSERVER_FAILED', `an observer failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined),
    );
  }

  /** The capabilities, in the order they were composed: each connection meets them in this order. */
  get capabilities(): readonly Capability[] {
    return this.#capabilities;
  }

  /** Adds capabilities (the `WebView`'s constructor, once). */
  compose(...capabilities: Capability[]): void {
    this.#capabilities.push(...capabilities);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Adds an observer (see `WebView.observe`); a module's run that added it takes it away when it restarts. */
  observe(observer: Observer): () => void {
    if (this.registrations.stale) return () => undefined;
    const remove = this.observers.add(observer);
    this.registrations.own(remove);
    return remove;
  }

  /** Whether the host's author listens for `event`. */
  listens(event: keyof WebViewEvents): boolean {
    return this.#events.listenerCount(event) > 0;
  }

  /** Emits one of the host's events (to the `WebView`'s listeners, contained). */
  emit<K extends keyof WebViewEvents>(event: K, ...args: WebViewEvents[K]): void {
    (this.#events as EventEmitter).emit(event, ...args);
  }

  /**
   * The `WebView`'s `emit`: observed, and every listener runs even when one throws or rejects: a
   * failing `connect`, `disconnect` or `refused` listener is reported as `LISTENER_FAILED`, a failing
   * `error` listener is written to `console.error`. A listener of the host's author can never stop the host.
   */
  emitContained(event: string | symbol, args: unknown[]): boolean {
    if (this.observers.active) this.#observeEvent(event, args);
    return emitContained(this.#events, event, args, (error) => {
      if (event === 'error') console.error(`[hise-webview] an 'error' listener failed:`, error);
      else this.report(new WebViewError('LISTENER_FAILED', `a '${String(event)}' listener failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined);
    });
  }

  #observeEvent(event: string | symbol, args: unknown[]): void {
    const time = now();
    if (event === 'connect') this.observers.emit({ type: 'connect', time, page: args[0] as Page });
    else if (event === 'disconnect') this.observers.emit({ type: 'disconnect', time, page: args[0] as Page, code: args[1] as number, reason: args[2] as string });
    else if (event === 'error') this.observers.emit({ type: 'error', time, error: args[0] as WebViewError, page: args[1] as Page | undefined });
  }

  /** How many listeners the host's `event` has. */
  listenerCount(event: keyof WebViewEvents): number {
    return this.#events.listenerCount(event);
  }

  /** Emits `error` with the page concerned (a connection stands for its page); with no listener, `console.warn`. */
  report(error: WebViewError, from: Page | Connection | undefined): void {
    const page = from instanceof Connection ? from.page : from;
    if (this.#events.listenerCount('error') > 0) this.emit('error', error, page);
    else console.warn(`[hise-webview] ${error.code}: ${error.message}`);
  }

  /** @throws {WebViewError} `CLOSED` */
  assertOpen(): void {
    if (this.#closed) throw new WebViewError('CLOSED', 'this WebView has been closed');
  }

  /** Closes the host: disposes every capability in composition order, each awaited. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const capability of this.#capabilities) await capability.dispose?.();
  }
}
