import { ALL_STREAMS, isStreamRate, MIN_STREAM_RATE, type SubscriptionState } from '../../protocol/stream-meta.js';

/** Options of `client.subscribe`. */
export interface SubscribeOptions {
  /** At most this many frames per second of each id (the newest wins); the host sends no others. Unset or 0: no cap. */
  maxRate?: number;
}

/**
 * What streams the page asked for: every stream by default. `subscribe(ids)` narrows to those ids
 * (adding to earlier ones), `subscribe()` goes back to every stream, `unsubscribe(ids)` leaves ids
 * out, `unsubscribe()` leaves every stream out. Sent whole to the host after each change.
 */
export class SubscriptionBook {
  #state: SubscriptionState = ALL_STREAMS;

  get state(): SubscriptionState {
    return this.#state;
  }

  /** @throws {TypeError} for ids that are not strings or a rate that is not a finite number >= 0 */
  subscribe(ids: readonly string[] | undefined, options: SubscribeOptions = {}): void {
    const rate = options.maxRate ?? 0;
    if (!isStreamRate(rate)) throw new TypeError(`subscribe(): maxRate must be 0 (no cap) or a finite number >= ${MIN_STREAM_RATE}, got ${typeof rate === 'number' ? rate : typeof rate}`);
    if (ids === undefined) {
      this.#state = { all: true, rate, ids: {}, except: [] };
      return;
    }
    checkIds(ids, 'subscribe');
    const keep = this.#state.all && this.#state.except.length === 0 && Object.keys(this.#state.ids).length === 0 && this.#state.rate === 0;
    // The first subscribe to ids (from the default, every stream) narrows to those ids.
    const base = keep ? { all: false, rate: 0, ids: {}, except: [] } : this.#state;
    const next = { ...base, ids: { ...base.ids }, except: base.except.filter((id) => !ids.includes(id)) };
    for (const id of ids) next.ids[id] = rate;
    this.#state = next;
  }

  /** @throws {TypeError} for ids that are not strings */
  unsubscribe(ids: readonly string[] | undefined): void {
    if (ids === undefined) {
      this.#state = { all: false, rate: 0, ids: {}, except: [] };
      return;
    }
    checkIds(ids, 'unsubscribe');
    const next = { ...this.#state, ids: { ...this.#state.ids }, except: [...this.#state.except] };
    for (const id of ids) {
      delete next.ids[id];
      if (next.all && !next.except.includes(id)) next.except.push(id);
    }
    this.#state = next;
  }
}

function checkIds(ids: readonly string[], method: string): void {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new TypeError(`${method}(): ids must be an array of strings`);
}
