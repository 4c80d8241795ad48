/**
 * Where a held id goes when a newer message replaces its frame: `'first-queued'` keeps its first
 * place (HISE's pre-connect queue, PROTOCOL.md §3); `'latest-last'` moves it behind the others, so
 * the order of delivery is the order of the latest sends (a tab waiting for its client).
 */
export type HoldOrder = 'first-queued' | 'latest-last';

/**
 * Messages held for a page that is not there yet: the latest per id, in {@link HoldOrder}. Bounded
 * by the number of ids.
 */
export class PendingMessages<Frame> {
  readonly #frames = new Map<string, Frame>();
  readonly #maxIds: number;
  readonly #order: HoldOrder;

  constructor(maxIds: number, order: HoldOrder = 'first-queued') {
    this.#maxIds = maxIds;
    this.#order = order;
  }

  /** Keeps `frame` as the latest for `id`. Returns false (and keeps nothing) when a new id would pass the bound. */
  hold(id: string, frame: Frame): boolean {
    if (!this.#frames.has(id) && this.#frames.size >= this.#maxIds) return false;
    if (this.#order === 'latest-last') this.#frames.delete(id); // Map.set on an existing key keeps its first position
    this.#frames.set(id, frame);
    return true;
  }

  /** Removes and returns every held frame, oldest id first. */
  take(): Frame[] {
    const frames = [...this.#frames.values()];
    this.#frames.clear();
    return frames;
  }

  clear(): void {
    this.#frames.clear();
  }

  get size(): number {
    return this.#frames.size;
  }
}
