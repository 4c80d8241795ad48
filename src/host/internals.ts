import type { PersistentCall } from '../protocol/index.js';
import type { Calls } from './calls.js';
import type { HostCore } from './core.js';
import type { Direct } from './direct/direct.js';

/**
 * What the project's own tools (src/dev, src/inspector, src/testing) reach of a `WebView` that is
 * not its public API. Not exported from the package's entry.
 */
export class HostInternals {
  readonly core: HostCore;
  readonly #calls: Calls;
  readonly #direct: Direct;

  constructor(core: HostCore, calls: Calls, direct: Direct) {
    this.core = core;
    this.#calls = calls;
    this.#direct = direct;
  }

  /**
   * Runs a function offered with `handle`, else a callback bound with `bindCallback` (given `args`
   * as its array), as a page's call would: the inspector's console. Rejects with `CallError`
   * `UNKNOWN_FUNCTION` when neither has `name` (the bridge's own `$…` functions are never run).
   */
  /** HISE's stored (persistent) `callFunction`/`evaluate` calls, first-stored order: what a page replays when it loads. */
  get persistentCalls(): readonly PersistentCall[] {
    return this.#direct.persistent.all();
  }

  async runHandler(name: string, args: readonly unknown[]): Promise<unknown> {
    const handled = this.#calls.runHandled(name, args);
    return handled === undefined ? this.#direct.runBinding(name, [...args]) : handled.value;
  }
}

const byWebView = new WeakMap<object, HostInternals>();

/** What a view of a `WebView` (src/dev/scoped-web-view.ts) answers with the `WebView` it wraps. */
export const VIEWED = Symbol('hise-webview.viewed');

/** @internal The `WebView`'s constructor, once. */
export function registerInternals(webView: object, internals: HostInternals): void {
  byWebView.set(webView, internals);
}

/** The internals of a `WebView`, or of the one a view wraps. */
export function hostInternals(webView: object): HostInternals {
  const internals = byWebView.get(webView) ?? byWebView.get((webView as { [VIEWED]?: object })[VIEWED] ?? webView);
  if (internals === undefined) throw new TypeError('not a WebView');
  return internals;
}
