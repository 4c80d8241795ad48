/**
 * What {@link SessionLedger.accept} makes of a page → host sequence number: `'new'` (deliver it),
 * `'duplicate'` (a resend of one already delivered: skip it), `'out-of-window'` (further past the
 * last delivered number than `window` allows: refuse it; the ledger does not move).
 */
export type SequenceVerdict = 'new' | 'duplicate' | 'out-of-window';

/**
 * The last page → host sequence number delivered per client session, so a message a page resends
 * after a reconnect (because its ack was lost) is delivered once. Bounded: at most `maxPerSource`
 * sessions of one source (peer address and Origin, see `sessionSource`) and `maxSessions` in all;
 * the least recently used session (of that source, then overall) is forgotten first, so a page
 * minting session ids pushes out only its own.
 *
 * A page numbers its messages 1, 2, 3 … without gaps, so a new number is never far past the last
 * one delivered. A number more than `window` past it is refused and never advances the ledger:
 * otherwise one forged `seq 0xFFFFFFFF` would make every later message of the session look like a
 * duplicate and vanish (PROTOCOL.md §4, "Sequence numbers"). A session the ledger does not know yet
 * (a first connection, or a host that restarted while the page kept its numbering) starts from
 * whatever number it sends first.
 */
export class SessionLedger {
  /** In order of last use, least recent first. */
  readonly #sessions = new Map<string, { last: number; source: string }>();
  readonly #perSource = new Map<string, number>();
  readonly #maxSessions: number;
  readonly #maxPerSource: number;
  /** How far past the last delivered number a new one may be. */
  readonly window: number;

  constructor(maxSessions: number, window: number, maxPerSource = Infinity) {
    this.#maxSessions = maxSessions;
    this.window = window;
    this.#maxPerSource = maxPerSource;
  }

  /** Judges `seq` for `session` (made by `source`), and records it when it is new. */
  accept(session: string, seq: number, source = ''): SequenceVerdict {
    const entry = this.#sessions.get(session);
    if (entry !== undefined && seq > entry.last + this.window) return 'out-of-window';
    const known = entry?.last ?? 0;
    if (entry === undefined) this.#makeRoomFor(source);
    else this.#sessions.delete(session); // re-inserted: Map order is our recency order
    this.#sessions.set(session, { last: Math.max(known, seq), source: entry?.source ?? source });
    if (entry === undefined) this.#perSource.set(source, (this.#perSource.get(source) ?? 0) + 1);
    return seq > known ? 'new' : 'duplicate';
  }

  /** The highest sequence number delivered for `session` (0 when none). */
  last(session: string): number {
    return this.#sessions.get(session)?.last ?? 0;
  }

  /** Sessions remembered now. */
  get size(): number {
    return this.#sessions.size;
  }

  #makeRoomFor(source: string): void {
    if ((this.#perSource.get(source) ?? 0) >= this.#maxPerSource) {
      for (const [session, entry] of this.#sessions) {
        if (entry.source !== source) continue;
        this.#forget(session, entry.source);
        break;
      }
    }
    while (this.#sessions.size >= this.#maxSessions && this.#sessions.size > 0) {
      const [session, entry] = this.#sessions.entries().next().value!;
      this.#forget(session, entry.source);
    }
  }

  #forget(session: string, source: string): void {
    this.#sessions.delete(session);
    const left = this.#perSource.get(source)! - 1;
    if (left === 0) this.#perSource.delete(source);
    else this.#perSource.set(source, left);
  }
}
