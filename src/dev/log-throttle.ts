/** What the throttle decides for one message. */
export type ThrottleVerdict = { log: true; skippedBefore: number } | { log: false };

/**
 * One log line per page and id per `interval`, counting the rest, with a bounded memory: at most
 * `maxKeys` page/id pairs are tracked (the least recently seen is forgotten first), and a page's
 * pairs are forgotten when it disconnects. A page that sends endless distinct ids costs at most
 * `maxKeys` entries.
 */
export class LogThrottle {
  readonly #last = new Map<string, { at: number; skipped: number }>();
  readonly #interval: number;
  readonly #maxKeys: number;

  constructor(interval: number, maxKeys: number) {
    this.#interval = interval;
    this.#maxKeys = maxKeys;
  }

  /** Whether the message of `page` under `id` arriving `now` gets a line, and how many were skipped before it. */
  check(page: number, id: string | undefined, now: number): ThrottleVerdict {
    const key = keyOf(page, id);
    const last = this.#last.get(key);
    if (last !== undefined && now - last.at < this.#interval) {
      last.skipped++;
      return { log: false };
    }
    this.#last.delete(key); // re-inserted last: Map order is our recency order
    this.#last.set(key, { at: now, skipped: 0 });
    if (this.#last.size > this.#maxKeys) this.#last.delete(this.#last.keys().next().value!);
    return { log: true, skippedBefore: last?.skipped ?? 0 };
  }

  /** Forgets every id of `page` (it disconnected). */
  forgetPage(page: number): void {
    const prefix = keyOf(page, undefined);
    for (const key of this.#last.keys()) if (key.startsWith(prefix)) this.#last.delete(key);
  }

  /** Page/id pairs tracked now. */
  get size(): number {
    return this.#last.size;
  }
}

function keyOf(page: number, id: string | undefined): string {
  return `${page}\0${id ?? ''}`;
}
