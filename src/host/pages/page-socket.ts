/**
 * The part of a WebSocket connection a {@link Connection} uses. Declared here, rather than imported from
 * `ws`, so the published declarations compile in a consumer's project without `@types/ws`: a `ws`
 * `WebSocket` satisfies it structurally. (Depending on `@types/ws` instead would add it and the
 * `@types/node` it needs, 2.4 MB, to every install, browser-only projects included.)
 */
export interface PageSocket {
  /** The subprotocol the handshake agreed on ('' for none). */
  readonly protocol: string;
  /** Bytes queued in the socket and not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: Uint8Array, callback: (error?: Error | null) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'pong' | 'message', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}
