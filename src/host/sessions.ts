/**
 * The last page → host sequence number delivered per client session, so a message a page resends
 * after a reconnect (because its ack was lost) is delivered once. Bounded: the least recently used
 * session is forgotten first.
 */
export class SessionLedger {
  readonly #lastSeq = new Map<string, number>();
  readonly #maxSessions: number;

  constructor(maxSessions: number) {
    this.#maxSessions = maxSessions;
  }

  /** True when `seq` is new for `session` (and records it); false for a duplicate. */
  accept(session: string, seq: number): boolean {
    const last = this.#lastSeq.get(session) ?? 0;
    this.#lastSeq.delete(session); // re-insert: Map order is our recency order
    this.#lastSeq.set(session, Math.max(last, seq));
    if (this.#lastSeq.size > this.#maxSessions) this.#lastSeq.delete(this.#lastSeq.keys().next().value!);
    return seq > last;
  }

  /** The highest sequence number delivered for `session` (0 when none). */
  last(session: string): number {
    return this.#lastSeq.get(session) ?? 0;
  }
}
