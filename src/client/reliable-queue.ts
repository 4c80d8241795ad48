/** One message waiting for the host's ack. */
export interface Unacked<T> {
  seq: number;
  item: T;
  bytes: number;
}

/**
 * Page → host messages kept until the host acknowledges them, so that a message survives a
 * dropped connection and is resent, in order, after a reconnect; the host delivers each sequence
 * number once. Bounded by count and bytes.
 */
export class ReliableQueue<T> {
  #items: Unacked<T>[] = [];
  #bytes = 0;
  #nextSeq = 1;
  readonly #maxItems: number;
  readonly #maxBytes: number;

  constructor(maxItems: number, maxBytes: number) {
    this.#maxItems = maxItems;
    this.#maxBytes = maxBytes;
  }

  /** Numbers and keeps `item`; undefined when the queue is full (the item is refused, not kept). */
  add(item: T, bytes: number): Unacked<T> | undefined {
    if (this.#items.length >= this.#maxItems || this.#bytes + bytes > this.#maxBytes) return undefined;
    const entry = { seq: this.#nextSeq++, item, bytes };
    this.#items.push(entry);
    this.#bytes += bytes;
    return entry;
  }

  /** Forgets every message up to and including `seq`. */
  ack(seq: number): void {
    let drop = 0;
    while (drop < this.#items.length && this.#items[drop]!.seq <= seq) this.#bytes -= this.#items[drop++]!.bytes;
    if (drop > 0) this.#items = this.#items.slice(drop);
  }

  /** Everything not yet acknowledged, oldest first. */
  get pending(): readonly Unacked<T>[] {
    return this.#items;
  }
}
