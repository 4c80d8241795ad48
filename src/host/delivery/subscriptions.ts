import { ALL_STREAMS, type SubscriptionState } from '../../protocol/index.js';

/**
 * Which streams one page asked for, and at what rate (PROTOCOL.md §4.8): every stream by default,
 * as before fresh streams; the page replaces the whole state with each Subscriptions frame.
 */
export class Subscriptions {
  #state: SubscriptionState = ALL_STREAMS;
  #ids = new Map<string, number>();
  #except = new Set<string>();

  /** The page's whole state (as it last sent it). */
  get state(): Readonly<SubscriptionState> {
    return this.#state;
  }

  /** Replaces the state. */
  set(state: SubscriptionState): void {
    this.#state = state;
    this.#ids = new Map(Object.entries(state.ids));
    this.#except = new Set(state.except);
  }

  /** Whether the page wants frames of `id`. */
  wants(id: string): boolean {
    return this.#state.all ? !this.#except.has(id) || this.#ids.has(id) : this.#ids.has(id);
  }

  /** Milliseconds between two frames of `id` at the page's cap; 0 when uncapped. */
  interval(id: string): number {
    const rate = this.#ids.get(id) ?? (this.#state.all ? this.#state.rate : 0);
    return rate > 0 ? 1000 / rate : 0;
  }
}
