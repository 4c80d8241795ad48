import { BINDINGS_ID, BRIDGE_CONFIG_GLOBAL, BridgeCall, CallError, type BridgeConfig, type CallHandler } from '../../protocol/index.js';
import { isFunctionPath } from '../../protocol/function-path.js';
import type { Calls } from '../calls.js';
import type { Capability } from '../capability.js';
import type { HostCore } from '../core.js';
import { anyMessage, checkSerializable } from '../delivery/outbound.js';
import { WebViewError } from '../errors.js';
import type { Connection } from '../pages/connection.js';
import type { PageRegistry } from '../pages/registry.js';
import { checkBindingName } from './binding-name.js';
import { resolveNullOnError } from './callback-errors.js';
import { PersistentCalls } from './persistent-calls.js';

/**
 * HISE's direct communication (PROTOCOL.md §5), through the bridge the host injects into every page
 * it serves: bound callbacks (`window[name]`), `callFunction`, `evaluate`, persistence (replayed in
 * pages that open later), `reset`, and reloading pages.
 */
export class Direct implements Capability {
  readonly #core: HostCore;
  readonly #pages: PageRegistry;
  readonly #calls: Calls;
  readonly #bindings = new Map<string, (args: unknown[]) => unknown>();
  readonly persistent = new PersistentCalls();
  /** HISE's `enableDebugMode`: the bridge logs every call it runs. */
  debug = false;

  constructor(core: HostCore, pages: PageRegistry, calls: Calls) {
    this.#core = core;
    this.#pages = pages;
    this.#calls = calls;
    calls.handleBridge(BridgeCall.Callback, ((name: string, args: unknown) => this.runBinding(name, args)) as CallHandler);
    calls.handleBridge(BridgeCall.Sync, ((version: number) => this.persistent.since(Number(version) || 0)) as CallHandler);
  }

  /** @throws {WebViewError} `INVALID_NAME`, `INVALID_OPTION` */
  bind(name: string, fn: (args: unknown[]) => unknown): void {
    checkBindingName(name);
    if (typeof fn !== 'function') throw new WebViewError('INVALID_OPTION', `bindCallback('${name}') needs a function`);
    if (this.#core.registrations.stale) return;
    this.#bindings.set(name, fn);
    // HISE-strict: a restarted run's binding stays, and resolves null (as a recompiled HISE script's does).
    this.#core.registrations.own(this.#core.hise === undefined ? () => this.unbind(name) : () => this.#makeStale(name, fn));
    this.#updateBindings();
  }

  unbind(name: string): void {
    if (this.#core.registrations.stale || !this.#bindings.delete(name)) return;
    this.#updateBindings();
  }

  /** @throws {WebViewError} `INVALID_NAME` (not identifiers joined by dots), `UNSERIALIZABLE_DATA` */
  callFunction(name: string, arg?: unknown): Promise<PromiseSettledResult<unknown>[]> {
    checkName(name);
    if (!isFunctionPath(name)) throw new WebViewError('INVALID_NAME', `callFunction needs identifiers joined by dots, got '${name.slice(0, 80)}'`);
    if (arg !== undefined) checkSerializable(arg);
    if (this.#core.registrations.stale) return Promise.resolve([]); // reached no page
    this.#persist(() => this.persistent.storeFunction(name, arg));
    return this.#callBridges(BridgeCall.CallFunction, arg === undefined ? [name] : [name, arg]);
  }

  /** @throws {WebViewError} `INVALID_NAME`, `UNSUPPORTED_DATA` */
  evaluate(uid: string, code: string): Promise<PromiseSettledResult<unknown>[]> {
    checkName(uid);
    if (typeof code !== 'string') throw new WebViewError('UNSUPPORTED_DATA', 'evaluate needs code as a string');
    if (this.#core.registrations.stale) return Promise.resolve([]);
    this.#persist(() => this.persistent.storeEvaluate(uid, code));
    return this.#callBridges(BridgeCall.Evaluate, [code]);
  }

  /** HISE's `reset`: forgets bound callbacks and persistent calls. */
  reset(): void {
    if (this.#core.registrations.stale) return;
    this.#bindings.clear();
    this.persistent.clear();
    this.#updateBindings();
  }

  /** Asks every page with the bridge to reload. @returns how many were asked */
  reloadPages(): number {
    const bridges = this.#pages.bridges();
    for (const connection of bridges) void this.#calls.callConnection(connection, BridgeCall.Reload, []).catch(() => undefined);
    return bridges.length;
  }

  /** Runs a bound callback as a page's call would. @throws {CallError} `UNKNOWN_FUNCTION` */
  runBinding(name: unknown, args: unknown): unknown {
    const fn = typeof name === 'string' ? this.#bindings.get(name) : undefined;
    if (fn === undefined) throw new CallError('UNKNOWN_FUNCTION', `no callback is bound as '${String(name)}'`);
    const list = Array.isArray(args) ? args : [];
    if (this.#core.options.callbackErrors === 'reject') return fn(list);
    return resolveNullOnError(
      () => fn(list),
      (error) => this.#core.report(new WebViewError('CALLBACK_FAILED', `bound callback '${String(name)}' failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), undefined),
    );
  }

  /** The config the bridge script starts from: port, token, bindings, and the persistent calls as of now. */
  bridgePrelude(port: number, lan = false): string {
    const instances = this.#core.instances;
    const config: BridgeConfig = {
      port,
      // A LAN page's device is its credential (lan/): it is never handed the loopback token.
      token: lan ? undefined : this.#core.token,
      ...(lan ? { lan: true } : {}),
      bindings: [...this.#bindings.keys()],
      persisted: this.persistent.all(),
      debug: this.debug,
      ...(this.#core.hise === undefined ? {} : { hiseStrict: true }),
      ...(instances === undefined ? {} : { instance: instances.self }),
    };
    return `window.${BRIDGE_CONFIG_GLOBAL}=${JSON.stringify(config)};\n`;
  }

  /** A bridge connected: it learns the bound names. */
  attach(connection: Connection): void {
    if (connection.bridged) this.#sendBindings(connection);
  }

  /**
   * Stores a persistent call. The host has no way to forget one of them, only `reset()` for all:
   * a restarted module's run takes them all back (its next run calls again what it still wants).
   */
  #persist(store: () => void): void {
    store();
    if (this.#core.hise === undefined) this.#core.registrations.own(this.#resetOnce); // HISE-strict: kept, as over a HISE recompile
  }

  #makeStale(name: string, fn: (args: unknown[]) => unknown): void {
    if (this.#bindings.get(name) === fn) this.#bindings.set(name, this.#core.hise!.staleBinding(name));
  }

  /** The same function each time, so a scope's dispose runs it once. */
  readonly #resetOnce = (): void => this.reset();

  #sendBindings(connection: Connection): void {
    connection.deliver(anyMessage(BINDINGS_ID, [...this.#bindings.keys()], () => 0));
  }

  /** Tells every bridge the bound names after they changed. */
  #updateBindings(): void {
    for (const connection of this.#pages.bridges()) this.#sendBindings(connection);
  }

  #callBridges(name: string, args: unknown[]): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(this.#pages.bridges().map((connection) => this.#calls.callConnection(connection, name, args)));
  }
}

function checkName(name: unknown): void {
  if (typeof name !== 'string' || name === '') throw new WebViewError('INVALID_NAME', `a name must be a non-empty string, got ${String(name)}`);
}
