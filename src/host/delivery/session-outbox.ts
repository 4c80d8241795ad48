import { encodeHello, SequencedLog } from '../../protocol/index.js';
import { controlFrame, type OutboundMessage } from './outbound.js';
import type { ResolvedWebViewOptions } from '../options.js';
import type { Connection } from '../pages/connection.js';
import { sessionSource } from './session-source.js';

/** Limits of the session logs. */
export interface SessionLimits {
  /** Milliseconds a disconnected session's log is kept for its page to come back. */
  sessionTimeout: number;
  /** Bytes of unacknowledged control messages one session may hold. */
  maxBytes: number;
  /** Sessions kept at once; the least recently active disconnected one is forgotten first. */
  maxSessions: number;
  /** Sessions one source (remote address and Origin) may have; its least recently active disconnected one is forgotten first. */
  maxSessionsPerSource: number;
  /** Bytes all session logs together may hold, a message shared by many logs counted once. */
  maxTotalBytes: number;
}

/** The session limits among the host's options. */
export function sessionLimits(options: ResolvedWebViewOptions): SessionLimits {
  return {
    sessionTimeout: options.sessionTimeout,
    maxBytes: options.maxQueuedBytesPerPage,
    maxSessions: options.maxSessions,
    maxSessionsPerSource: options.maxSessionsPerSource,
    maxTotalBytes: options.maxSessionBytes,
  };
}

/** What the logs tell their owner. */
export interface SessionEvents {
  /**
   * A session was forgotten because it held too much (`reason` says which bound); its page, when
   * connected, is cut off and starts a fresh numbering when it comes back.
   */
  overflow(page: Connection | undefined, session: string, reason: string): void;
}

/** The host's own accounting of its session logs. */
export interface SessionStats {
  /** Session logs kept, connected or not. */
  sessions: number;
  /** Distinct messages held by at least one log. */
  messages: number;
  /** Bytes charged for them: each distinct message once, plus {@link SESSION_ENTRY_BYTES} per log entry. */
  bytes: number;
}

/**
 * Bytes charged for each entry of a session log on top of the message it refers to: the entry
 * itself (an object with a number and a reference), so that many tiny messages held by many
 * sessions are bounded too.
 */
export const SESSION_ENTRY_BYTES = 64;

/**
 * Host → page control messages (strings, JSON) of one modern client's session: numbered, kept until
 * the page acknowledges them, also while it is disconnected, and resent in order when it comes back
 * with the same session id, so each is delivered exactly once (PROTOCOL.md §4). It keeps references
 * to the shared, immutable messages, not frames: a frame is made (a copy with this session's number)
 * only when it goes out.
 */
class SessionLog {
  /** Random per log: tells the page whether the numbering it knows still holds. */
  readonly epoch = (Math.random() * 0xffffffff) >>> 0 || 1;
  readonly source: string;
  page: Connection | undefined;
  expiry: ReturnType<typeof setTimeout> | undefined;
  /** Unbounded here: the owner checks its size after each message, against the limits. */
  readonly messages = new SequencedLog<OutboundMessage>(Infinity, Infinity);

  constructor(source: string) {
    this.source = source;
  }
}

/**
 * Every session's log, keyed by the session id a modern client connects with. Bounded three ways:
 * per session (`maxBytes`), per source (`maxSessionsPerSource`), and in total (`maxSessions`,
 * `maxTotalBytes`), so a peer minting session ids cannot multiply the host's memory (SECURITY.md,
 * "Sessions").
 */
export class SessionLogs {
  /** In order of last activity (attach or detach), least recent first: the order they are forgotten in. */
  readonly #logs = new Map<string, SessionLog>();
  /** How many log entries refer to each message: a message is charged once, while any log holds it. */
  readonly #held = new Map<OutboundMessage, number>();
  #bytes = 0;
  readonly #limits: SessionLimits;
  readonly #events: SessionEvents;

  constructor(limits: SessionLimits, events: SessionEvents) {
    this.#limits = limits;
    this.#events = events;
  }

  /**
   * A page of a session connected: says hello (the epoch), then resends what it has not
   * acknowledged. Returns the messages resent, so the host does not send them twice. A connection
   * that presents the id of a session that is connected now replaces the older connection (the id
   * is the session's secret: whoever has it is its page, e.g. a page reconnecting before the host
   * noticed that its old connection died).
   */
  attach(page: Connection): Set<OutboundMessage> {
    const session = page.session!;
    let log = this.#logs.get(session);
    if (log === undefined) {
      log = new SessionLog(sessionSource(page));
      this.#makeRoomFor(log.source);
    }
    this.#touch(session, log);
    clearTimeout(log.expiry);
    log.page?.terminate(); // an older connection of the same session is stale
    log.page = page;
    page.deliver(controlFrame(encodeHello(log.epoch)));
    const resent = new Set<OutboundMessage>();
    for (const { seq, item } of log.messages.pending) {
      page.deliver(item.sequenced(seq));
      resent.add(item);
    }
    return resent;
  }

  /** Its page went away: the log waits `sessionTimeout` for it to come back. */
  detach(page: Connection): void {
    const session = page.session!;
    const log = this.#logs.get(session);
    if (log === undefined || log.page !== page) return;
    log.page = undefined;
    this.#touch(session, log);
    log.expiry = setTimeout(() => this.#forget(session), this.#limits.sessionTimeout);
    log.expiry.unref();
  }

  /** Numbers `message` for the session of `page`, logs it, and gives the page its frame. */
  deliver(page: Connection, message: OutboundMessage): void {
    const session = page.session!;
    const log = this.#logs.get(session);
    // A connection replaced by a newer one of its session is cut but not closed yet: it gets nothing more.
    if (log === undefined || log.page !== page) return;
    const seq = this.#append(log, message);
    page.deliver(message.sequenced(seq));
    this.#checkSize(session, log);
    this.#checkTotal();
  }

  /** Logs `message` for every session whose page is away now (one shared message, one entry per log). */
  holdForAbsent(message: OutboundMessage): void {
    const overfull: [string, SessionLog][] = [];
    for (const [session, log] of this.#logs) {
      if (log.page !== undefined) continue;
      this.#append(log, message);
      if (log.messages.bytes > this.#limits.maxBytes) overfull.push([session, log]);
    }
    for (const [session, log] of overfull) this.#checkSize(session, log);
    this.#checkTotal();
  }

  /** The page delivered everything up to `seq`: its log lets those messages go. */
  acknowledge(page: Connection, seq: number): void {
    const log = this.#logs.get(page.session!);
    if (log?.page !== page) return;
    for (const { item } of log.messages.ack(seq)) this.#release(item);
  }

  /** The host's own accounting (what {@link SessionLimits} bound). */
  get stats(): SessionStats {
    return { sessions: this.#logs.size, messages: this.#held.size, bytes: this.#bytes };
  }

  clear(): void {
    for (const log of this.#logs.values()) clearTimeout(log.expiry);
    this.#logs.clear();
    this.#held.clear();
    this.#bytes = 0;
  }

  /** Makes room for one more session of `source`, forgetting disconnected sessions (least recently active first). */
  #makeRoomFor(source: string): void {
    let ofSource = 0;
    for (const log of this.#logs.values()) if (log.source === source) ofSource++;
    while (ofSource >= this.#limits.maxSessionsPerSource && this.#forgetOldestAbsent(source)) ofSource--;
    while (this.#logs.size >= this.#limits.maxSessions && this.#forgetOldestAbsent(undefined)) {
      // each turn forgot one
    }
  }

  /** Forgets the least recently active disconnected session (of `source`, when given); false when there is none. */
  #forgetOldestAbsent(source: string | undefined): boolean {
    for (const [session, log] of this.#logs) {
      if (log.page !== undefined || (source !== undefined && log.source !== source)) continue;
      this.#forget(session);
      return true;
    }
    return false;
  }

  /** Moves `session` to the most recent end of the forgetting order. */
  #touch(session: string, log: SessionLog): void {
    this.#logs.delete(session);
    this.#logs.set(session, log);
  }

  #append(log: SessionLog, message: OutboundMessage): number {
    const bytes = message.sequencedBytes;
    const refs = this.#held.get(message) ?? 0;
    this.#held.set(message, refs + 1);
    this.#bytes += SESSION_ENTRY_BYTES + (refs === 0 ? bytes : 0);
    return log.messages.add(message, SESSION_ENTRY_BYTES + bytes)!.seq;
  }

  #release(message: OutboundMessage): void {
    const refs = this.#held.get(message)!;
    this.#bytes -= SESSION_ENTRY_BYTES;
    if (refs > 1) {
      this.#held.set(message, refs - 1);
      return;
    }
    this.#held.delete(message);
    this.#bytes -= message.sequencedBytes;
  }

  #forget(session: string): SessionLog | undefined {
    const log = this.#logs.get(session);
    if (log === undefined) return undefined;
    clearTimeout(log.expiry);
    this.#logs.delete(session);
    for (const { item } of log.messages.pending) this.#release(item);
    return log;
  }

  /** A log past its own bound is forgotten (its page, if connected, is cut off and starts a fresh numbering). */
  #checkSize(session: string, log: SessionLog): void {
    if (log.messages.bytes <= this.#limits.maxBytes || this.#logs.get(session) !== log) return;
    this.#forget(session);
    this.#events.overflow(log.page, session, `over maxQueuedBytesPerPage (${this.#limits.maxBytes} bytes) of unacknowledged messages`);
  }

  /**
   * Past the total bound, sessions are forgotten until the rest fits: disconnected ones first,
   * least recently active first; then the connected one holding the most (a page not acknowledging).
   */
  #checkTotal(): void {
    while (this.#bytes > this.#limits.maxTotalBytes && this.#logs.size > 0) {
      const [session, log] = this.#totalVictim();
      this.#forget(session);
      this.#events.overflow(log.page, session, `all sessions together held over maxSessionBytes (${this.#limits.maxTotalBytes} bytes)`);
    }
  }

  #totalVictim(): [string, SessionLog] {
    let largest: [string, SessionLog] | undefined;
    for (const entry of this.#logs) {
      if (entry[1].page === undefined) return entry;
      if (largest === undefined || entry[1].messages.bytes > largest[1].messages.bytes) largest = entry;
    }
    return largest!;
  }
}
