/** The window pairing attempts are counted in. */
export const ATTEMPT_WINDOW_MS = 60_000;
/** Addresses tracked at once; beyond it every new address counts as limited (the total limit holds anyway). */
const MAX_TRACKED_ADDRESSES = 4096;

/**
 * Pairing attempts per address and in total within a sliding minute: an attempt over either limit
 * is refused before its code is even looked at, so guessing runs at most `total` codes a minute.
 */
export class AttemptLimit {
  readonly #perAddress: number;
  readonly #total: number;
  readonly #all: number[] = [];
  readonly #byAddress = new Map<string, number[]>();

  constructor(perAddress: number, total: number) {
    this.#perAddress = perAddress;
    this.#total = total;
  }

  /** Counts one attempt from `address`: false when it is over a limit (and then not counted). */
  admit(address: string, now = Date.now()): boolean {
    const since = now - ATTEMPT_WINDOW_MS;
    prune(this.#all, since);
    for (const [key, times] of this.#byAddress) if (prune(times, since) === 0) this.#byAddress.delete(key);
    const mine = this.#byAddress.get(address);
    if (this.#all.length >= this.#total || (mine?.length ?? 0) >= this.#perAddress) return false;
    if (mine === undefined && this.#byAddress.size >= MAX_TRACKED_ADDRESSES) return false;
    this.#all.push(now);
    if (mine === undefined) this.#byAddress.set(address, [now]);
    else mine.push(now);
    return true;
  }
}

/** Drops the times before `since` from the front; the count left. */
function prune(times: number[], since: number): number {
  let drop = 0;
  while (drop < times.length && times[drop]! <= since) drop++;
  if (drop > 0) times.splice(0, drop);
  return times.length;
}
