/** A connection that stayed up this long (ms) counts as stable and resets the backoff. */
export const STABLE_CONNECTION_MS = 5000;
/** Default delay before the first reconnect attempt (ms), in both clients. */
export const MIN_RECONNECT_DELAY_MS = 250;
/** Default cap of the reconnect delay (ms), in both clients. */
export const MAX_RECONNECT_DELAY_MS = 5000;

/**
 * When to try again after a connection drops: capped exponential backoff with jitter, reset by a
 * connection that stayed up {@link STABLE_CONNECTION_MS}. Shared by the drop-in and the modern client.
 */
export class Reconnect {
  readonly #min: number;
  readonly #max: number;
  #attempt = 0;
  #openedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(minDelay = MIN_RECONNECT_DELAY_MS, maxDelay = MAX_RECONNECT_DELAY_MS) {
    this.#min = minDelay;
    this.#max = maxDelay;
  }

  /** The connection opened. */
  opened(): void {
    this.#openedAt = Date.now();
  }

  /** Whether the connection that closed last had opened at all (false: its handshake failed). */
  get wasOpen(): boolean {
    return this.#openedAt !== 0;
  }

  /** Runs `connect` after the backoff delay of this attempt. */
  schedule(connect: () => void): void {
    if (this.#openedAt !== 0 && Date.now() - this.#openedAt >= STABLE_CONNECTION_MS) this.#attempt = 0;
    this.#openedAt = 0;
    this.#timer = setTimeout(connect, backoffDelay(this.#attempt++, this.#min, this.#max));
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential from `min`, capped at `max`,
 * with jitter over the upper half so that many pages do not reconnect in step.
 */
function backoffDelay(attempt: number, min: number, max: number): number {
  const delay = Math.min(max, min * 2 ** attempt);
  return delay / 2 + (Math.random() * delay) / 2;
}
