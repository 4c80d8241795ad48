import type { EventEmitter } from 'node:events';

/**
 * Calls every listener of `event` as `EventEmitter.emit` would (in order, `once` listeners removed),
 * but a listener that throws or returns a rejected promise does not stop the others nor escape:
 * `onFailure` gets what it threw. Used where the listeners are the host author's and the caller is
 * the host's own I/O path, which nothing may unwind.
 * @returns whether the event had listeners
 */
export function emitContained(emitter: EventEmitter, event: string | symbol, args: unknown[], onFailure: (error: unknown) => void): boolean {
  const listeners = emitter.rawListeners(event) as ((...args: unknown[]) => unknown)[];
  for (const listener of listeners) {
    try {
      const result = listener.apply(emitter, args);
      if (isThenable(result)) result.then(undefined, (error: unknown) => contain(onFailure, error));
    } catch (error) {
      contain(onFailure, error);
    }
  }
  return listeners.length > 0;
}

function contain(onFailure: (error: unknown) => void, error: unknown): void {
  try {
    onFailure(error);
  } catch (failure) {
    console.error('[hise-webview] reporting a failed listener failed:', failure);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
