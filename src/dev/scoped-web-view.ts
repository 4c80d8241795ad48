import { EventEmitter } from 'node:events';
import type { WebView } from '../host/index.js';
import { hostInternals, VIEWED } from '../host/internals.js';
import { Scope } from '../host/registrations.js';

/** A view of a {@link WebView} that remembers what was registered through it, to undo it all at once. */
export interface ScopedWebView {
  /** The proxy to hand to a host module: every member of the WebView, registrations recorded. */
  readonly webView: WebView;
  /**
   * Removes every listener, handler, callback, bound function, observer and mounted tool registered
   * through {@link webView}, and puts back the settings it changed; later registrations and writes
   * through it do nothing.
   */
  dispose(): void;
}

/** Node's EventEmitter methods that add a listener: the WebView's own events, and `wv.instances`'. */
const LISTENER_METHODS = new Set<PropertyKey>(['on', 'addListener', 'once', 'prependListener', 'prependOnceListener']);

/** `emitter` whose listeners added through it go with `scope`, and are not added once it is disposed. */
function scopeEmitter<E extends EventEmitter>(emitter: E, scope: Scope, call: (run: () => unknown) => unknown): E {
  const scoped: E = new Proxy(emitter, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (!LISTENER_METHODS.has(property)) {
        return (...args: unknown[]) => {
          const result = call(() => (value as (...a: unknown[]) => unknown).apply(object, args));
          return result === object ? scoped : result; // chaining (`wv.on(…).on(…)`) stays inside the scope
        };
      }
      return (event: string | symbol, listener: (...args: unknown[]) => void) => {
        if (scope.disposed) return scoped;
        (value as (...a: unknown[]) => unknown).call(object, event, listener);
        scope.add(() => object.off(event, listener));
        return scoped;
      };
    },
  });
  return scoped;
}

/**
 * Wraps `target` so that what a host module registers can be undone when the module restarts,
 * while the WebView itself (its port, its pages, its served root) stays up. Every call through the
 * view runs in one {@link Scope}: each capability of the host gives that scope the undo of what it
 * registered (src/host/registrations.ts), so nothing here knows the WebView's method names.
 */
export function scopeWebView(target: WebView): ScopedWebView {
  const { registrations } = hostInternals(target).core;
  const scope = new Scope();
  const settings = new Map<PropertyKey, unknown>();
  const emitters = new Map<PropertyKey, EventEmitter>();
  const within = (run: () => unknown): unknown => registrations.within(scope, run);
  // The receiver is the real object: WebView keeps its state in private fields, which a proxy cannot reach.
  const proxy = scopeEmitter(target, scope, within);
  const view: WebView = new Proxy(target, {
    get(object, property) {
      if (property === VIEWED) return object;
      const value: unknown = Reflect.get(proxy, property);
      // A shared port's `wv.instances` is an emitter too: its listeners go with the run that added them.
      if (value instanceof EventEmitter && value !== object) {
        let scoped = emitters.get(property);
        if (scoped === undefined) emitters.set(property, (scoped = scopeEmitter(value, scope, within)));
        return scoped;
      }
      return value === proxy ? view : value;
    },
    set(object, property, value) {
      if (scope.disposed) return true; // a late write (from a timer the module forgot) does nothing
      // Settings (`enablePersistence`, `enableDebugMode`, `enableCache`…) go back to what they were
      // before this run, so deleting a line from the module takes it back, as a fresh start would.
      if (!settings.has(property)) settings.set(property, Reflect.get(object, property, object));
      return Reflect.set(object, property, value, object);
    },
  });
  return {
    webView: view,
    dispose() {
      scope.dispose();
      for (const [property, value] of settings) Reflect.set(target, property, value, target);
      settings.clear();
    },
  };
}
