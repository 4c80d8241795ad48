import { encodeHello, SequencedLog } from '../protocol/index.js';
import { controlFrame, type OutboundMessage, type WireFrame } from './outbound.js';
import type { Connection } from './connection.js';

interface LoggedMessage {
  message: OutboundMessage;
  frame: WireFrame;
}

/** Limits of the per-session logs. */
export interface SessionLimits {
  /** Milliseconds a disconnected session's log is kept for its page to come back. */
  sessionTimeout: number;
  /** Bytes of unacknowledged control messages one session may hold. */
  maxBytes: number;
  /** Sessions kept at once; the oldest disconnected one is forgotten first. */
  maxSessions: number;
}

/**
 * Host → page control messages (strings, JSON) of one modern client's session: numbered, kept until
 * the page acknowledges them, also while it is disconnected, and resent in order when it comes back
 * with the same session id, so each is delivered exactly once (PROTOCOL.md §4).
 */
class SessionLog {
  /** Random per log: tells the page whether the numbering it knows still holds. */
  readonly epoch = (Math.random() * 0xffffffff) >>> 0 || 1;
  page: Connection | undefined;
  expiry: ReturnType<typeof setTimeout> | undefined;
  /** Unbounded here: its size is checked after each message, against `maxBytes`, by the owner. */
  readonly messages = new SequencedLog<LoggedMessage>(Infinity, Infinity);

  append(message: OutboundMessage): LoggedMessage {
    const frame = message.sequenced(this.messages.nextSeq);
    const entry = { message, frame };
    this.messages.add(entry, frame.bytes.byteLength);
    return entry;
  }
}

/** Every session's log, keyed by the session id a modern client connects with. */
export class SessionLogs {
  readonly #logs = new Map<string, SessionLog>();
  readonly #limits: SessionLimits;
  readonly #onOverflow: (page: Connection | undefined, session: string) => void;

  constructor(limits: SessionLimits, onOverflow: (page: Connection | undefined, session: string) => void) {
    this.#limits = limits;
    this.#onOverflow = onOverflow;
  }

  /**
   * A page of a session connected: says hello (the epoch), then resends what it has not
   * acknowledged. Returns the messages resent, so the host does not send them twice.
   */
  attach(page: Connection): Set<OutboundMessage> {
    const session = page.session!;
    let log = this.#logs.get(session);
    if (log === undefined) {
      log = new SessionLog();
      this.#logs.set(session, log);
      this.#forgetOldest();
    }
    clearTimeout(log.expiry);
    log.page?.terminate(); // an older connection of the same session is stale
    log.page = page;
    page.deliver(controlFrame(encodeHello(log.epoch)));
    const resent = new Set<OutboundMessage>();
    for (const { item } of log.messages.pending) {
      page.deliver(item.frame);
      resent.add(item.message);
    }
    return resent;
  }

  /** Its page went away: the log waits `sessionTimeout` for it to come back. */
  detach(page: Connection): void {
    const session = page.session!;
    const log = this.#logs.get(session);
    if (log === undefined || log.page !== page) return;
    log.page = undefined;
    log.expiry = setTimeout(() => this.#logs.delete(session), this.#limits.sessionTimeout);
    log.expiry.unref();
  }

  /** Numbers `message` for the session of `page`, logs it, and gives the page its frame. */
  deliver(page: Connection, message: OutboundMessage): void {
    const log = this.#logs.get(page.session!);
    if (log === undefined) return;
    page.deliver(log.append(message).frame);
    this.#checkSize(page.session!, log);
  }

  /** Logs `message` for every session whose page is away now. */
  holdForAbsent(message: OutboundMessage): void {
    for (const [session, log] of this.#logs) {
      if (log.page !== undefined) continue;
      log.append(message);
      this.#checkSize(session, log);
    }
  }

  acknowledge(page: Connection, seq: number): void {
    const log = this.#logs.get(page.session!);
    if (log?.page === page) log.messages.ack(seq);
  }

  clear(): void {
    for (const log of this.#logs.values()) clearTimeout(log.expiry);
    this.#logs.clear();
  }

  /** A log past its bound is forgotten (its page, if connected, is cut off and starts a fresh numbering). */
  #checkSize(session: string, log: SessionLog): void {
    if (log.messages.bytes <= this.#limits.maxBytes) return;
    clearTimeout(log.expiry);
    this.#logs.delete(session);
    this.#onOverflow(log.page, session);
  }

  #forgetOldest(): void {
    if (this.#logs.size <= this.#limits.maxSessions) return;
    for (const [session, log] of this.#logs) {
      if (log.page !== undefined) continue;
      clearTimeout(log.expiry);
      this.#logs.delete(session);
      return;
    }
  }
}
