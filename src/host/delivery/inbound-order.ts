import { encodeAck, type Frame } from '../../protocol/index.js';
import type { HostCore } from '../core.js';
import { WebViewError } from '../errors.js';
import type { Connection } from '../pages/connection.js';
import { controlFrame } from './outbound.js';
import { SessionLedger } from './sessions.js';
import { sessionSource } from './session-source.js';

/** Whether a numbered frame is delivered: `'new'`, `'duplicate'` (read, not delivered), `'refused'` (reported; not read). */
export type InboundVerdict = 'new' | 'duplicate' | 'refused';

/** One connection's state: numbers seen by a page without a session id, and whether an ack is scheduled. */
interface ConnectionOrder {
  ledger: SessionLedger;
  ackScheduled: boolean;
  /** The number this connection sent last (not refused): its ack is the end of the ledger's run holding it. */
  lastJudged: number;
}

/**
 * Exactly-once for what modern pages send (PROTOCOL.md §4, "Sequence numbers"): judges each
 * numbered data or parameter frame against its session's ledger and acknowledges what was
 * delivered, once per turn of the event loop.
 */
export class InboundOrder {
  readonly #core: HostCore;
  /** Numbers seen per session (modern pages with a session id), across their reconnects. */
  readonly #ledger: SessionLedger;
  readonly #connections = new WeakMap<Connection, ConnectionOrder>();

  constructor(core: HostCore) {
    this.#core = core;
    const { maxSessions, sequenceWindow, maxSessionsPerSource } = core.options;
    this.#ledger = new SessionLedger(maxSessions, sequenceWindow, maxSessionsPerSource);
  }

  /**
   * The number counts as seen even when the payload turns out bad, so a resend cannot loop; read
   * the payload even for a duplicate, so a bad one is always reported.
   */
  judge(connection: Connection, frame: Frame): InboundVerdict {
    if (frame.seq === undefined) return 'new';
    const ledger = this.#ledgerOf(connection);
    const verdict = ledger.accept(connection.session ?? '', frame.seq, sessionSource(connection));
    if (verdict === 'out-of-window') {
      // A number too far past the session's last one: never delivered, never recorded.
      const last = ledger.last(connection.session ?? '');
      this.#core.report(
        new WebViewError('INVALID_SEQUENCE', `message '${frame.id}' is numbered ${frame.seq}, more than ${this.#ledger.window} past the session's highest delivered number ${last}: refused`),
        connection,
      );
      return 'refused';
    }
    this.#order(connection).lastJudged = frame.seq;
    this.#scheduleAck(connection);
    return verdict;
  }

  #order(connection: Connection): ConnectionOrder {
    let order = this.#connections.get(connection);
    if (order === undefined) this.#connections.set(connection, (order = { ledger: new SessionLedger(1, this.#ledger.window), ackScheduled: false, lastJudged: 0 }));
    return order;
  }

  #ledgerOf(connection: Connection): SessionLedger {
    return connection.session === undefined ? this.#order(connection).ledger : this.#ledger;
  }

  /** One ack per turn of the event loop, for the end of the run this connection's last number is in. */
  #scheduleAck(connection: Connection): void {
    const order = this.#order(connection);
    if (order.ackScheduled) return;
    order.ackScheduled = true;
    setImmediate(() => {
      order.ackScheduled = false;
      // The end of this connection's own run: a number forged far ahead on a stolen id is never acknowledged to the owner.
      connection.deliver(controlFrame(encodeAck(this.#ledgerOf(connection).acknowledged(connection.session ?? '', order.lastJudged))));
    });
  }
}
