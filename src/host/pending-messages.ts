/**
 * Messages sent while no page is connected: the latest per id, in the order each id was first
 * queued (HISE's behaviour, PROTOCOL.md §3). Bounded by the number of ids.
 */
export class PendingMessages<Frame> {
  readonly #frames = new Map<string, Frame>();
  readonly #maxIds: number;

  constructor(maxIds: number) {
    this.#maxIds = maxIds;
  }

  /** Keeps `frame` as the latest for `id`. Returns false (and keeps nothing) when a new id would pass the bound. */
  hold(id: string, frame: Frame): boolean {
    if (!this.#frames.has(id) && this.#frames.size >= this.#maxIds) return false;
    this.#frames.set(id, frame); // Map.set on an existing key keeps its first position
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
