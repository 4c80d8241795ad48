import { FrameType, ProtocolError, readAck, type Frame } from '../../protocol/index.js';
import type { Capability, FrameTable } from '../capability.js';
import type { HostCore } from '../core.js';
import { WebViewError } from '../errors.js';
import type { Connection } from '../pages/connection.js';
import type { OutboundMessage } from './outbound.js';
import { sessionLimits, SessionLogs, type SessionStats } from './session-outbox.js';

/**
 * The last hop of everything the host sends: a control message to a modern page's session is
 * numbered and logged until the page acknowledges it (resent when the page reconnects, PROTOCOL.md
 * §4); anything else goes to the connection's outbox as it is. Also reads the frames that steer
 * delivery: acks, and fresh streams' credit, subscriptions, visibility and time (PROTOCOL.md §4.8).
 */
export class Delivery implements Capability {
  readonly #sessions: SessionLogs;
  readonly frames: FrameTable = {
    [FrameType.Ack]: (connection, frame) => this.#sessions.acknowledge(connection, readAck(frame)),
    [FrameType.StreamAck]: (connection, frame) => streamsOf(connection, frame),
    [FrameType.Subscriptions]: (connection, frame) => streamsOf(connection, frame),
    [FrameType.Visibility]: (connection, frame) => streamsOf(connection, frame),
    [FrameType.TimeSync]: (connection, frame) => streamsOf(connection, frame),
  };

  constructor(core: HostCore) {
    this.#sessions = new SessionLogs(sessionLimits(core.options), {
      overflow: (page, _session, reason) => {
        // Never the id itself: it is the session's secret, and error messages end up in logs.
        const which = page === undefined ? 'a disconnected session' : `the session of page ${page.id}`;
        core.report(new WebViewError('PAGE_TOO_SLOW', `${which} was forgotten: ${reason}`), page);
        page?.terminate();
      },
    });
  }

  /**
   * A connection that takes data opened: its session (modern pages) says hello and resends what it
   * has not acknowledged; fresh streams announce themselves.
   * @returns the messages resent, which the page must not get twice
   */
  open(connection: Connection): Set<OutboundMessage> {
    const resent = connection.extended && connection.session !== undefined ? this.#sessions.attach(connection) : new Set<OutboundMessage>();
    connection.streams?.announce();
    return resent;
  }

  detach(connection: Connection): void {
    if (connection.session !== undefined) this.#sessions.detach(connection);
  }

  /** Control messages to a modern page's session are numbered and logged until acknowledged. */
  deliverTo(connection: Connection, message: OutboundMessage): void {
    if (message.kind === 'control' && connection.extended && connection.session !== undefined && !connection.bridged) this.#sessions.deliver(connection, message);
    else connection.deliver(message);
  }

  /** A broadcast while pages are away: every absent session logs it for its page's return. */
  holdForAbsent(message: OutboundMessage): void {
    if (message.kind === 'control') this.#sessions.holdForAbsent(message);
  }

  /** The host's own accounting of its session logs (what `maxSessions`, `maxSessionsPerSource` and `maxSessionBytes` bound). */
  get stats(): SessionStats {
    return this.#sessions.stats;
  }

  dispose(): void {
    this.#sessions.clear();
  }
}

function streamsOf(connection: Connection, frame: Frame): void {
  if (connection.streams === undefined) throw new ProtocolError('INVALID_CONTROL_FRAME', 'a page that did not offer fresh streams sent one of their frames');
  connection.streams.receive(frame);
}
