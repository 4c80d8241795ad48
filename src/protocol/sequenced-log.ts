const NONE: readonly never[] = Object.freeze([]);

/** One message waiting for the other side's ack. */
export interface Unacked<T> {
  seq: number;
  item: T;
  bytes: number;
}

/**
 * Messages numbered 1, 2, 3 … and kept until the other side acknowledges them, so that a message
 * survives a dropped connection and is resent, in order, after a reconnect; the receiver delivers
 * each number once (PROTOCOL.md §4). Both directions use it: the page for what it sends, the host
 * for each session's strings and JSON. Bounded by count and bytes.
 */
export class SequencedLog<T> {
  #items: Unacked<T>[] = [];
  #bytes = 0;
  #nextSeq = 1;
  readonly #maxItems: number;
  readonly #maxBytes: number;

  constructor(maxItems: number, maxBytes: number) {
    this.#maxItems = maxItems;
    this.#maxBytes = maxBytes;
  }

  /** The number the next `add` gives. */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Numbers and keeps `item`; undefined when the log is full (the item is refused, not kept). */
  add(item: T, bytes: number): Unacked<T> | undefined {
    if (this.#items.length >= this.#maxItems || this.#bytes + bytes > this.#maxBytes) return undefined;
    const entry = { seq: this.#nextSeq++, item, bytes };
    this.#items.push(entry);
    this.#bytes += bytes;
    return entry;
  }

  /** Forgets every message up to and including `seq`; returns what it forgot, oldest first. */
  ack(seq: number): readonly Unacked<T>[] {
    let drop = 0;
    while (drop < this.#items.length && this.#items[drop]!.seq <= seq) this.#bytes -= this.#items[drop++]!.bytes;
    if (drop === 0) return NONE;
    const acknowledged = this.#items.slice(0, drop);
    this.#items = this.#items.slice(drop);
    return acknowledged;
  }

  /** Everything not yet acknowledged, oldest first. */
  get pending(): readonly Unacked<T>[] {
    return this.#items;
  }

  /** Bytes not yet acknowledged. */
  get bytes(): number {
    return this.#bytes;
  }
}
