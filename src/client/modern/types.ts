// The modern client's public types and the contract its modules share.
import type { Frame } from '../../protocol/frame.js';

/** The part of the WebSocket API the client uses; browsers' and `ws`'s both fit. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** One socket as the client uses it. */
export interface WebSocketLike {
  binaryType: string;
  readonly protocol: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export type ClientStatus = 'connecting' | 'open' | 'closed';
/**
 * `extended`: the host accepted `hise-webview.1` (ids both ways, all types, calls, exactly-once).
 * `legacy`: a host that speaks only HISE's format (e.g. HISE itself): messages by id still arrive,
 * `send` loses its id, calls reject with `NOT_SUPPORTED`.
 */
export type ClientMode = 'extended' | 'legacy';

/** What a listener receives beside the data. */
export interface MessageMeta {
  /** The host's sequence number of this stream frame (extended mode, typed payloads). */
  seq: number | undefined;
  /** Frames of this id the host coalesced or dropped since the previous one this page got. */
  dropped: number;
  /** The host's time of this stream frame (host clock, ms; compare with {@link HiseClient.hostTime}), when the host gave one. */
  time: number | undefined;
  /** The sample position of this stream frame's first sample, when the host gave one. */
  samplePosition: number | undefined;
}

export type SendResult = 'sent' | 'queued' | 'dropped';

/** What goes on the socket: text, or binary. */
export type Outbound = string | ArrayBufferLike | ArrayBufferView;

/** Writes to one connection's socket; does nothing once that socket is no longer open. */
export type Write = (data: Outbound) => void;

/** Handles one inbound frame of the extended format; `bytes` is the whole message. */
export type FrameHandler = (frame: Frame, bytes: Uint8Array) => void;

/** The frame types a module owns, each with its handler. */
export type FrameRoutes = { readonly [type: number]: FrameHandler };

/**
 * The contract of the modern client's modules (outbox, inbox, calls, parameters, streams): the
 * frames each owns, and what it does when a connection opens (`mode` known, `write` bound to that
 * socket), closes, and when the client closes for good. The facade (`connect.ts`) routes each
 * frame by its type to the one module that owns it.
 */
export interface ClientModule {
  readonly frames?: FrameRoutes;
  opened?(mode: ClientMode, write: Write): void;
  closed?(): void;
  dispose?(): void;
}
