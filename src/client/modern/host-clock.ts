/** The page's clock (ms): on the same scale as the host's (`performance.timeOrigin + performance.now()`). */
export function pageTime(): number {
  return performance.timeOrigin + performance.now();
}

/** Round trips kept; the one with the shortest trip gives the estimate. */
const SAMPLES = 8;

/**
 * The page's estimate of the host's clock, from TimeSync round trips (PROTOCOL.md §4.8): for each,
 * offset = host time − the midpoint of the trip. The trip with the shortest round trip among the
 * last few is the most accurate (its error is at most half of that round trip).
 */
export class HostClock {
  #samples: { roundTrip: number; offset: number }[] = [];
  #offset: number | undefined;

  /** Records one answered round trip, asked at `askedAt` (page clock), answered with `hostTime`. */
  sample(askedAt: number, hostTime: number, answeredAt = pageTime()): void {
    const roundTrip = answeredAt - askedAt;
    if (!(roundTrip >= 0)) return; // an answer to a question this page never asked
    this.#samples.push({ roundTrip, offset: hostTime - (askedAt + answeredAt) / 2 });
    if (this.#samples.length > SAMPLES) this.#samples.shift();
    this.#offset = this.#samples.reduce((best, s) => (s.roundTrip < best.roundTrip ? s : best)).offset;
  }

  /** Round trips recorded so far (up to a few). */
  get samples(): number {
    return this.#samples.length;
  }

  /** The host's clock now; undefined before the first round trip. */
  now(): number | undefined {
    return this.#offset === undefined ? undefined : pageTime() + this.#offset;
  }
}
