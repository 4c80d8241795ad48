/** A bounded first-in-first-out list: adding to a full ring forgets its oldest item. */
export class Ring<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  /** @param capacity items kept, at least 1 */
  constructor(capacity: number) {
    this.#items = new Array<T | undefined>(Math.max(1, capacity));
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    const capacity = this.#items.length;
    if (this.#size < capacity) {
      this.#items[(this.#start + this.#size++) % capacity] = item;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % capacity;
    }
  }

  /** The newest `count` items, oldest first. */
  last(count: number): T[] {
    const capacity = this.#items.length;
    const n = Math.min(count, this.#size);
    const out: T[] = [];
    for (let i = this.#size - n; i < this.#size; i++) out.push(this.#items[(this.#start + i) % capacity]!);
    return out;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }
}
