import { performance } from 'node:perf_hooks';
import { BridgeCall, decodeFrame, readReply } from '../protocol/index.js';
import type { ParameterSource, ParameterValue, StreamMeta } from '../protocol/index.js';
import type { WebViewError } from './errors.js';
import type { Page } from './pages/page.js';

/** Where a message went (the same as `SendResult`). */
export type ObservedSendResult = 'sent' | 'queued' | 'dropped';

/**
 * What a call was, seen from the host: `call` (the extension's `call`/`handle`), `bindCallback`
 * (a page called a callback bound with `bindCallback`), `callFunction` and `evaluate` (HISE's direct
 * communication), `bridge` (the bridge's own housekeeping: sync, reload, host restart).
 */
export type ObservedCallKind = 'call' | 'bindCallback' | 'callFunction' | 'evaluate' | 'bridge';

/** A call's failure as the caller sees it. */
export interface ObservedCallError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
}

/**
 * One thing that crossed the bridge, in the order it happened. `time` is milliseconds on the Unix
 * epoch with sub-millisecond resolution (`performance.timeOrigin + performance.now()`).
 *
 * `data` and `args` are the host's own values, not copies: an observer that keeps one (a recorder,
 * a preview) must copy it before returning (a `Float32Array` the host author reuses changes under it).
 */
export type Observation =
  | {
      readonly type: 'send';
      readonly time: number;
      readonly id: string;
      readonly data: unknown;
      /** Typed arrays and bytes are streams (coalesced under backpressure); the rest are control messages. */
      readonly stream: boolean;
      /** `sendTo`'s page; `undefined` for a message to every page. */
      readonly page: Page | undefined;
      readonly result: ObservedSendResult;
      /** Which method sent it: HISE's `sendToWebSocket` under either spelling (the literal `'sendToWebsocket'`, kept for recordings and tools; objects travel as JSON text) or `send`/`sendTo` (objects arrive parsed). */
      readonly via: 'sendToWebsocket' | 'send';
      /** Whether the id is retained (`retain`): its latest value goes to every page that connects. */
      readonly retained: boolean;
      /** A stream's `time` / `samplePosition` as `send` was given them; `undefined` when it had none. */
      readonly meta: StreamMeta | undefined;
    }
  | {
      readonly type: 'receive';
      readonly time: number;
      /** `undefined` for HISE-format pages, whose messages have no id. */
      readonly id: string | undefined;
      readonly data: unknown;
      readonly page: Page;
    }
  | {
      readonly type: 'call';
      readonly time: number;
      /** Pairs this call with its `settle`; counts up from 1 per host. */
      readonly call: number;
      readonly direction: 'host-to-page' | 'page-to-host';
      readonly kind: ObservedCallKind;
      /** The function's name: the handled or bound name, the `callFunction` path, `'evaluate'`, or the bridge's call. */
      readonly name: string;
      readonly args: readonly unknown[];
      readonly page: Page;
    }
  | {
      readonly type: 'settle';
      readonly time: number;
      readonly call: number;
      /** Milliseconds from the call to its answer. */
      readonly duration: number;
      readonly ok: boolean;
      /** The result, when `ok`. */
      readonly value?: unknown;
      /** The failure, when not `ok`. */
      readonly error?: ObservedCallError;
    }
  | {
      /** A parameter's value changed (`wv.parameter`'s `change` event): from the host, a page, `setState`, a replay. */
      readonly type: 'parameter';
      readonly time: number;
      readonly id: string;
      readonly value: ParameterValue;
      /** The value as text (the spec's `format`, else the default text). */
      readonly text: string;
      readonly source: ParameterSource;
      /** The page that changed it (source `'page'`). */
      readonly page: Page | undefined;
      /** True while that page's gesture on this parameter is open. */
      readonly inGesture: boolean;
    }
  | {
      /** A page's gesture on a parameter opened (`start`) or closed (`end`: one undo step, `from` → `to`). */
      readonly type: 'gesture';
      readonly time: number;
      readonly id: string;
      readonly phase: 'start' | 'end';
      readonly page: Page;
      readonly from: ParameterValue;
      /** The value at the end (`end` only). */
      readonly to?: ParameterValue;
      /** `'end'`: the page ended it; `'disconnect'`: its connection went (`end` only). */
      readonly reason?: 'end' | 'disconnect';
    }
  | { readonly type: 'connect'; readonly time: number; readonly page: Page }
  | { readonly type: 'disconnect'; readonly time: number; readonly page: Page; readonly code: number; readonly reason: string }
  | { readonly type: 'error'; readonly time: number; readonly error: WebViewError; readonly page: Page | undefined };

/** Receives every {@link Observation}. Runs on the host's I/O path: return quickly; a throw is contained. */
export type Observer = (observation: Observation) => void;

/** Finishes an observed call with its outcome. */
export type SettleObservation = (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;

/**
 * The host's observers (`WebView.observe`). With none, observing costs one property read per
 * message: every caller checks {@link active} before it builds an observation.
 */
export class Observers {
  #list: readonly Observer[] = [];
  #nextCall = 1;
  /** Set while a failure is being reported, so an observer that also fails on that report cannot loop. */
  #reporting = false;
  readonly #onFailure: (error: unknown) => void;

  /** @param onFailure gets what an observer threw (the observer stays registered) */
  constructor(onFailure: (error: unknown) => void) {
    this.#onFailure = onFailure;
  }

  /** Whether anyone observes: callers skip building observations when not. */
  get active(): boolean {
    return this.#list.length > 0;
  }

  /** Adds an observer; returns the function that removes it. */
  add(observer: Observer): () => void {
    this.#list = [...this.#list, observer];
    return () => {
      this.#list = this.#list.filter((o) => o !== observer);
    };
  }

  /** Hands `observation` to every observer; a throwing one does not stop the others. */
  emit(observation: Observation): void {
    for (const observer of this.#list) {
      try {
        observer(observation);
      } catch (error) {
        this.#fail(error);
      }
    }
  }

  #fail(error: unknown): void {
    if (this.#reporting) return; // it failed on the report of a failure: that one is reported already
    this.#reporting = true;
    try {
      this.#onFailure(error);
    } finally {
      this.#reporting = false;
    }
  }

  /**
   * Emits a `call` for the wire call `name(args)` and returns what emits its `settle`, or
   * `undefined` when nobody observes. Bridge calls are shown as what the host author wrote:
   * `bindCallback`'s name and arguments, `callFunction`'s path and argument, `evaluate`'s code.
   */
  callStarted(direction: 'host-to-page' | 'page-to-host', name: string, args: readonly unknown[], page: Page): SettleObservation | undefined {
    if (!this.active) return undefined;
    const call = this.#nextCall++;
    const started = now();
    this.emit({ type: 'call', time: started, call, direction, page, ...describeCall(name, args) });
    let settled = false;
    return (outcome) => {
      if (settled || !this.active) return;
      settled = true;
      const time = now();
      const duration = time - started;
      if (outcome.ok) this.emit({ type: 'settle', time, call, duration, ok: true, value: outcome.value });
      else this.emit({ type: 'settle', time, call, duration, ok: false, error: describeError(outcome.error) });
    };
  }

  /** Settles an observed call from the reply frame the host is about to send (decoded only when observed). */
  static settleFromReply(settle: SettleObservation | undefined, reply: Uint8Array): void {
    if (settle === undefined) return;
    try {
      const answer = readReply(decodeFrame(reply));
      settle(answer.ok ? { ok: true, value: answer.value } : { ok: false, error: answer.error });
    } catch (error) {
      settle({ ok: false, error });
    }
  }
}

/** Milliseconds on the Unix epoch, sub-millisecond. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

function describeCall(name: string, args: readonly unknown[]): { kind: ObservedCallKind; name: string; args: readonly unknown[] } {
  switch (name) {
    case BridgeCall.Callback:
      return { kind: 'bindCallback', name: String(args[0]), args: Array.isArray(args[1]) ? args[1] : [] };
    case BridgeCall.CallFunction:
      return { kind: 'callFunction', name: String(args[0]), args: args.slice(1) };
    case BridgeCall.Evaluate:
      return { kind: 'evaluate', name: 'evaluate', args };
    default:
      return name.startsWith('$') ? { kind: 'bridge', name, args } : { kind: 'call', name, args };
  }
}

function describeError(error: unknown): ObservedCallError {
  if (typeof error === 'object' && error !== null) {
    const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
    return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : String(error), code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: String(error), code: undefined };
}
