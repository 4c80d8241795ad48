/**
 * What {@link SessionLedger.accept} makes of a page → host sequence number: `'new'` (deliver it),
 * `'duplicate'` (a resend of one already delivered: skip it), `'out-of-window'` (further past the
 * last delivered number than `window` allows: refuse it; the ledger does not move).
 */
export type SequenceVerdict = 'new' | 'duplicate' | 'out-of-window';

/**
 * The last page → host sequence number delivered per client session, so a message a page resends
 * after a reconnect (because its ack was lost) is delivered once. Bounded: the least recently used
 * session is forgotten first.
 *
 * A page numbers its messages 1, 2, 3 … without gaps, so a new number is never far past the last
 * one delivered. A number more than `window` past it is refused and never advances the ledger:
 * otherwise one forged `seq 0xFFFFFFFF` would make every later message of the session look like a
 * duplicate and vanish (PROTOCOL.md §4.1). A session the ledger does not know yet (a first
 * connection, or a host that restarted while the page kept its numbering) starts from whatever
 * number it sends first.
 */
export class SessionLedger {
  readonly #lastSeq = new Map<string, number>();
  readonly #maxSessions: number;
  /** How far past the last delivered number a new one may be. */
  readonly window: number;

  constructor(maxSessions: number, window: number) {
    this.#maxSessions = maxSessions;
    this.window = window;
  }

  /** Judges `seq` for `session`, and records it when it is new. */
  accept(session: string, seq: number): SequenceVerdict {
    const last = this.#lastSeq.get(session);
    if (last !== undefined && seq > last + this.window) return 'out-of-window';
    const known = last ?? 0;
    this.#lastSeq.delete(session); // re-insert: Map order is our recency order
    this.#lastSeq.set(session, Math.max(known, seq));
    if (this.#lastSeq.size > this.#maxSessions) this.#lastSeq.delete(this.#lastSeq.keys().next().value!);
    return seq > known ? 'new' : 'duplicate';
  }

  /** The highest sequence number delivered for `session` (0 when none). */
  last(session: string): number {
    return this.#lastSeq.get(session) ?? 0;
  }

  /** Forgets `session` (its log was forgotten too: it starts again like a new one). */
  forget(session: string): void {
    this.#lastSeq.delete(session);
  }

  /** Sessions remembered now. */
  get size(): number {
    return this.#lastSeq.size;
  }
}
