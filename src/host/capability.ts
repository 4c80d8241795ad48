import type { Frame, FrameType } from '../protocol/index.js';
import type { Connection } from './pages/connection.js';

/** Handles one decoded frame of a page that negotiated the extension; may throw `ProtocolError` (reported as `INVALID_FRAME`). */
export type FrameHandler = (connection: Connection, frame: Frame) => void;

/** Which capability reads which frame type (PROTOCOL.md §4): the host routes every page frame by this table. */
export type FrameTable = Partial<Record<FrameType, FrameHandler>>;

/**
 * The one shape of every host capability (pages' data, calls, direct communication, parameters,
 * delivery, the shared port, HTTP). Each is built on the {@link HostCore} and the capabilities it
 * talks to; the `WebView` composes them, and the page registry runs these hooks for all of them.
 * Every member is optional: a capability has only the ones it needs.
 */
export interface Capability {
  /**
   * A connection was accepted, in the order the capabilities were composed. `first`: no page that
   * takes data was connected before it (what was held while nobody was connected is for it).
   */
  attach?(connection: Connection, first: boolean): void;
  /** A connection closed (its page is gone when it was its page's last: `connection.page.connections.length === 0`). */
  detach?(connection: Connection): void;
  /** The frames of modern pages this capability reads. */
  readonly frames?: FrameTable;
  /**
   * Asked before any capability reads what a page sent (a modern page's decoded `frame`, else the
   * HISE-format `hiseMessage`): true refuses it, and this capability has reported why (the LAN's
   * `view` role). May throw `ProtocolError` for a frame that does not decode further.
   */
  refuses?(connection: Connection, frame: Frame | undefined, hiseMessage: unknown): boolean;
  /** A message of a HISE-format page (text, JSON or float32): true when this capability took it; asked in composition order. */
  hiseMessage?(connection: Connection, message: unknown): boolean;
  /** The host closes: stop timers, let go of sockets and held messages. Run in composition order, each awaited. */
  dispose?(): void | Promise<void>;
}
