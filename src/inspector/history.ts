import type { LogEntry } from './snapshot.js';

/**
 * Bytes one log entry takes in the host's heap besides its two strings (`id`, `text`): the object,
 * its numbers, a stream run's counters and its slot in the ring, rounded up. Measured with
 * `node --expose-gc bench/scenarios/inspector-history.mjs` (Node 20, x64), strings included: about
 * 170 bytes for a short message's entry, 240 for a stream run's, 310 with a full 160-character
 * summary, 480–510 for the summary of a 100 KB message (its summary is a two-byte string); the
 * estimate ({@link entryBytes}) was above the measure in every case.
 */
export const ENTRY_OVERHEAD_BYTES = 240;

/**
 * An upper bound of the bytes `entry` keeps alive: {@link ENTRY_OVERHEAD_BYTES} and two bytes per
 * UTF-16 unit of its strings (V8 keeps a Latin-1 string in one byte per character, others in two).
 * Both strings are cut (see summary.ts), so an entry costs at most about 1 KiB whatever was sent.
 */
export function entryBytes(entry: LogEntry): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (entry.id.length + entry.text.length);
}

/**
 * The message log the host keeps: a first-in-first-out ring bounded both in entries and in bytes
 * ({@link entryBytes}); adding to a full one forgets its oldest entries until the new one fits.
 */
export class History {
  readonly #items: (LogEntry | undefined)[];
  readonly #costs: Uint32Array;
  readonly #maxBytes: number;
  #start = 0;
  #size = 0;
  #bytes = 0;
  #forgotten = 0;

  /**
   * @param maxEntries entries kept, at least 1
   * @param maxBytes estimated bytes kept ({@link entryBytes}); the newest entry is kept even if it alone is larger
   */
  constructor(maxEntries: number, maxBytes: number) {
    this.#items = new Array<LogEntry | undefined>(Math.max(1, maxEntries));
    this.#costs = new Uint32Array(this.#items.length);
    this.#maxBytes = maxBytes;
  }

  /** Entries kept now. */
  get size(): number {
    return this.#size;
  }

  /** Estimated bytes the kept entries take ({@link entryBytes}). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries forgotten so far to make room. */
  get forgotten(): number {
    return this.#forgotten;
  }

  push(entry: LogEntry): void {
    const capacity = this.#items.length;
    const cost = entryBytes(entry);
    while (this.#size > 0 && (this.#size === capacity || this.#bytes + cost > this.#maxBytes)) this.#forgetOldest();
    const slot = (this.#start + this.#size++) % capacity;
    this.#items[slot] = entry;
    this.#costs[slot] = cost;
    this.#bytes += cost;
  }

  /** The oldest `count` entries after `seq`, oldest first (seqs grow along the ring). */
  after(seq: number, count: number): LogEntry[] {
    const capacity = this.#items.length;
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#items[(this.#start + middle) % capacity]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    const out: LogEntry[] = [];
    for (let i = low; i < Math.min(this.#size, low + count); i++) out.push(this.#items[(this.#start + i) % capacity]!);
    return out;
  }

  /** The newest `count` entries, oldest first. */
  last(count: number): LogEntry[] {
    const capacity = this.#items.length;
    const n = Math.min(count, this.#size);
    const out: LogEntry[] = [];
    for (let i = this.#size - n; i < this.#size; i++) out.push(this.#items[(this.#start + i) % capacity]!);
    return out;
  }

  #forgetOldest(): void {
    this.#items[this.#start] = undefined;
    this.#bytes -= this.#costs[this.#start]!;
    this.#start = (this.#start + 1) % this.#items.length;
    this.#size--;
    this.#forgotten++;
  }
}
