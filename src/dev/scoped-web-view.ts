import type { EventEmitter } from 'node:events';
import type { WebView } from '../host/index.js';

/** A view of a {@link WebView} that remembers what was registered through it, to undo it all at once. */
export interface ScopedWebView {
  /** The proxy to hand to a host module: every member of the WebView, registrations recorded. */
  readonly webView: WebView;
  /**
   * Removes every listener, handler, callback and bound function registered through {@link webView},
   * and puts back the settings it changed; later registrations and writes through it do nothing.
   */
  dispose(): void;
}

type Undo = () => void;
type Recorder = (target: WebView, args: unknown[], result: unknown) => Undo | undefined;

const offEvent: Recorder = (target, [event, listener]) => () => target.off(event as 'connect', listener as () => void);

/**
 * What undoes each registering method (undos run once each, newest first; `reset()` twice is harmless). Anything else (sends, `retain`, buffers) passes straight
 * through: it is state the next run of the module overwrites, not a listener that would pile up.
 */
const RECORDERS: Record<string, Recorder> = {
  on: offEvent,
  addListener: offEvent,
  once: offEvent,
  prependListener: offEvent,
  prependOnceListener: offEvent,
  onMessage: (_target, _args, result) => (typeof result === 'function' ? (result as Undo) : undefined),
  setWebSocketCallback: (target, [callback]) =>
    callback === undefined ? undefined : () => target.setWebSocketCallback(undefined),
  handle: (target, [name, fn]) => (fn === undefined ? undefined : () => target.handle(name as string, undefined)),
  bindCallback: (target, [name]) => () => target.unbindCallback(name as string),
  // The host has no way to forget one persistent call, only `reset()` for all of them; the next run
  // of the module calls again what it still wants.
  callFunction: resetOnDispose,
  evaluate: resetOnDispose,
  // A parameter outlives a restart (the next run declares it again and gets it back, value kept);
  // the listeners this run added to it go.
  parameter: (_target, _args, result) => () => (result as { removeAllListeners?: () => void } | undefined)?.removeAllListeners?.(),
};

/**
 * What a registering method returns once its scope is disposed: it then does nothing, because the
 * next run of the module owns the registrations now (a forgotten timer of the old run calling
 * `bindCallback('ping')` or `callFunction` must not replace, or `reset()` away, what the new run set up).
 */
function staleResult(property: string, proxy: WebView): unknown {
  if (property === 'callFunction' || property === 'evaluate') return Promise.resolve([]); // reached no page
  if (property === 'onMessage') return () => undefined;
  if (property in EVENT_METHODS) return proxy;
  return undefined;
}

const EVENT_METHODS = { on: true, addListener: true, once: true, prependListener: true, prependOnceListener: true } as const;

/** `emitter` whose `on`/`once`/… registrations are undone with the scope's, and do nothing once it is disposed. */
function scopeEmitter(emitter: EventEmitter, undos: Undo[], isDisposed: () => boolean): EventEmitter {
  const scoped: EventEmitter = new Proxy(emitter, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      if (!(typeof property === 'string' && property in EVENT_METHODS)) return (value as (...a: unknown[]) => unknown).bind(object);
      return (event: string | symbol, listener: (...args: unknown[]) => void) => {
        if (isDisposed()) return scoped;
        (value as (...a: unknown[]) => unknown).call(object, event, listener);
        undos.push(() => object.off(event, listener));
        return scoped;
      };
    },
  });
  return scoped;
}

const resets = new WeakMap<WebView, Undo>();

function resetOnDispose(target: WebView): Undo {
  let reset = resets.get(target);
  if (reset === undefined) resets.set(target, (reset = () => target.reset()));
  return reset; // the same function each time, so dispose runs it once
}

/**
 * Wraps `target` so that what a host module registers can be undone when the module restarts,
 * while the WebView itself (its port, its pages, its served root) stays up.
 */
export function scopeWebView(target: WebView): ScopedWebView {
  const undos: Undo[] = [];
  const settings = new Map<PropertyKey, unknown>();
  let disposed = false;
  let instances: unknown;
  const proxy: WebView = new Proxy(target, {
    get(object, property) {
      // The receiver is the real object: WebView keeps its state in private fields, which a proxy cannot reach.
      const value: unknown = Reflect.get(object, property, object);
      // A shared port's `wv.instances` is an emitter too: its listeners go with the run that added them.
      if (property === 'instances' && value !== undefined) return (instances ??= scopeEmitter(value as EventEmitter, undos, () => disposed));
      if (typeof value !== 'function') return value;
      const record = typeof property === 'string' ? RECORDERS[property] : undefined;
      if (disposed && record !== undefined) return () => staleResult(property as string, proxy);
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        const undo = record?.(object, args, result);
        if (undo !== undefined) undos.push(undo);
        return result === object ? proxy : result; // chaining (`wv.on(…).on(…)`) stays inside the scope
      };
    },
    set(object, property, value) {
      if (disposed) return true; // a late write (from a timer the module forgot) does nothing
      // Settings (`enablePersistence`, `enableDebugMode`, `enableCache`…) go back to what they were
      // before this run, so deleting a line from the module takes it back, as a fresh start would.
      if (!settings.has(property)) settings.set(property, Reflect.get(object, property, object));
      return Reflect.set(object, property, value, object);
    },
  });
  return {
    webView: proxy,
    dispose() {
      disposed = true;
      for (const undo of new Set(undos.splice(0).reverse())) {
        try {
          undo();
        } catch {
          // undoing one registration must not keep the others in place
        }
      }
      for (const [property, value] of settings) Reflect.set(target, property, value, target);
      settings.clear();
    },
  };
}
