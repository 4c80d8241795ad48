/**
 * What {@link SessionLedger.accept} makes of a page → host sequence number: `'new'` (deliver it),
 * `'duplicate'` (a resend of one already delivered: skip it), `'out-of-window'` (further past the
 * highest delivered number than `window` allows: refuse it; the ledger does not move).
 */
export type SequenceVerdict = 'new' | 'duplicate' | 'out-of-window';

/** One run of consecutive numbers delivered for a session, `start`–`end`; `used`: when it last took a number. */
interface Run {
  start: number;
  end: number;
  used: number;
}

interface Entry {
  /** Sorted, disjoint and not adjacent (touching runs are merged). At most {@link MAX_RUNS_PER_SESSION}. */
  runs: Run[];
  /** The highest number ever delivered for the session (never lowered, not even when a run is forgotten). */
  last: number;
  source: string;
  clock: number;
}

/** Runs of delivered numbers a session keeps: a page that numbers without gaps needs one; forged numbers add more. */
export const MAX_RUNS_PER_SESSION = 8;

/**
 * The page → host sequence numbers delivered per client session, so a message a page resends after
 * a reconnect (because its ack was lost) is delivered once. Bounded: at most `maxPerSource`
 * sessions of one source (peer address and Origin, see `sessionSource`) and `maxSessions` in all;
 * the least recently used session (of that source, then overall) is forgotten first, so a page
 * minting session ids pushes out only its own.
 *
 * The ledger keeps the *runs* of numbers it delivered, not one high-water mark: a number is a
 * duplicate only when it lies inside a run. A forged number — even the first one a session sends,
 * before its owner's `1` (PROTOCOL.md §4, "Sequence numbers") — marks only itself delivered; it
 * can take the place of the one owner's message with that very number (whoever holds the id is
 * the owner), never make any other of the owner's messages a duplicate. A number more than
 * `window` past the highest one delivered is refused and changes nothing. A session the ledger does
 * not know yet (a first connection, or a host that restarted while the page kept its numbering)
 * starts a run at whatever number it sends first. Each connection is acknowledged the end of the
 * run its own numbers are in ({@link acknowledged}), never a forged number far beyond it.
 */
export class SessionLedger {
  /** In order of last use, least recent first. */
  readonly #sessions = new Map<string, Entry>();
  readonly #perSource = new Map<string, number>();
  readonly #maxSessions: number;
  readonly #maxPerSource: number;
  /** How far past the highest delivered number a new one may be. */
  readonly window: number;

  constructor(maxSessions: number, window: number, maxPerSource = Infinity) {
    this.#maxSessions = maxSessions;
    this.window = window;
    this.#maxPerSource = maxPerSource;
  }

  /** Judges `seq` for `session` (made by `source`), and records it when it is new. */
  accept(session: string, seq: number, source = ''): SequenceVerdict {
    let entry = this.#sessions.get(session);
    if (entry !== undefined && seq > entry.last + this.window) return 'out-of-window';
    if (entry === undefined) {
      this.#makeRoomFor(source);
      entry = { runs: [], last: 0, source, clock: 0 };
      this.#perSource.set(source, (this.#perSource.get(source) ?? 0) + 1);
    } else {
      this.#sessions.delete(session); // re-inserted: Map order is our recency order
    }
    this.#sessions.set(session, entry);
    entry.clock++;
    if (seq <= 0) return 'duplicate'; // pages number from 1
    const runs = entry.runs;
    // The first run that ends at or past seq - 1 (it may contain seq, or touch it from below).
    let i = 0;
    while (i < runs.length && runs[i]!.end < seq - 1) i++;
    const run = runs[i];
    if (run !== undefined && run.start <= seq && seq <= run.end) {
      run.used = entry.clock;
      return 'duplicate';
    }
    if (run !== undefined && run.end === seq - 1) {
      run.end = seq;
      run.used = entry.clock;
      const next = runs[i + 1];
      if (next !== undefined && next.start === seq + 1) {
        run.end = next.end;
        runs.splice(i + 1, 1);
      }
    } else if (run !== undefined && run.start === seq + 1) {
      run.start = seq;
      run.used = entry.clock;
    } else {
      runs.splice(i, 0, { start: seq, end: seq, used: entry.clock });
      if (runs.length > MAX_RUNS_PER_SESSION) this.#forgetOldestRun(entry);
    }
    entry.last = Math.max(entry.last, seq);
    return 'new';
  }

  /**
   * What to acknowledge to the connection that sent `seq`: the end of the run `seq` is in (every
   * number up to it was delivered, as far as that connection's own numbering goes); 0 when none.
   */
  acknowledged(session: string, seq: number): number {
    const run = this.#sessions.get(session)?.runs.find((r) => r.start <= seq && seq <= r.end);
    return run?.end ?? 0;
  }

  /** The highest sequence number delivered for `session` (0 when none). */
  last(session: string): number {
    return this.#sessions.get(session)?.last ?? 0;
  }

  /** Sessions remembered now. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Past the bound, the shortest run goes, the least recently used of equals (never the one just
   * made): forged numbers make short runs, a page's own numbering one long one. A resend into a
   * forgotten run would be delivered again; nothing is ever refused or dropped for it.
   */
  #forgetOldestRun(entry: Entry): void {
    let victim = -1;
    for (let i = 0; i < entry.runs.length; i++) {
      const run = entry.runs[i]!;
      if (run.used === entry.clock) continue; // the one just made
      const best = entry.runs[victim];
      const length = run.end - run.start;
      if (best === undefined || length < best.end - best.start || (length === best.end - best.start && run.used < best.used)) victim = i;
    }
    entry.runs.splice(victim, 1);
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
