/**
 * The delay before reconnect attempt `attempt` (0-based): exponential from `min`, capped at `max`,
 * with jitter over the upper half so that many pages do not reconnect in step.
 */
export function backoffDelay(attempt: number, min: number, max: number): number {
  const delay = Math.min(max, min * 2 ** attempt);
  return delay / 2 + (Math.random() * delay) / 2;
}

/** A connection that stayed up this long (ms) counts as stable and resets the backoff. */
export const STABLE_CONNECTION_MS = 5000;
