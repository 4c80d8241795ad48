import type { WebViewError } from './errors.js';
import type { HiseWarning } from './hise-strict/warnings.js';
import type { RefusalReason } from './pages/upgrade-gate.js';
import type { Connection } from './pages/connection.js';
import type { Page } from './pages/page.js';
import type { Parameter } from './parameters/parameter.js';
import type { LanRefusalReason, PairingRequest } from './lan/lan-http.js';
import type { Device } from './lan/devices.js';

/**
 * Why a connection was refused before the upgrade: `'host'` (a `Host` that is not this machine nor
 * in `allowedHosts`, 403, for plain HTTP requests too), `'origin'` (403), `'token'` (401), `'capacity'`
 * (`maxPages` connected, 503), `'timeout'` (no complete request within `handshakeTimeout`; destroyed).
 * On the LAN (docs/LAN.md) also `'device'` (no paired device's cookie, 401), `'pairing'` (a code
 * refused: unknown, expired or used, 403) and `'rate'` (pairing attempts over the limit, 429).
 */
export interface RefusedConnection {
  reason: Exclude<RefusalReason, 'fallback'> | 'capacity' | 'timeout' | LanRefusalReason;
  origin: string | undefined;
  remoteAddress: string | undefined;
  /** The refused `Host` header, with reason `'host'` (the name to add to `allowedHosts` if it is yours). */
  host?: string | undefined;
  /** Refused on the LAN listener (`lan` option), where `allowedHosts` and `allowedOrigins` do not apply. */
  lan?: true;
}

export interface WebViewEvents {
  /** A page connected: a browser tab (its first connection), or a page without the bridge. */
  connect: [page: Page];
  /**
   * A socket opened: a page's first (after its `connect`) or a further one of a tab, e.g. the page's
   * client joining its bridge. For logs and diagnostics; address the page, not the connection.
   */
  connection: [connection: Connection];
  /** A page went away (its last connection closed); `code` and `reason` are from that close frame (1006 when it just vanished). */
  disconnect: [page: Page, code: number, reason: string];
  /**
   * Bad input from a page, a failing callback, a slow page. Never thrown: when nothing listens
   * for `error`, it is written to `console.warn` instead.
   */
  error: [error: WebViewError, page: Page | undefined];
  /** A connection was refused before the upgrade (403 origin, 401 token, 503 capacity) or timed out in its handshake. */
  refused: [info: RefusedConnection];
  /** With `lan: { approve: true }`: a device asks to pair; call `approve()` or `deny()` (refused when no listener decides in `approveTimeout`). */
  pairing: [request: PairingRequest];
  /** A device paired on the LAN (it is in `wv.devices` now). */
  paired: [device: Device];
  /** A parameter was declared (its first `wv.parameter(id, …)`): for tools that follow parameters and their gestures. */
  parameter: [parameter: Parameter];
  /**
   * With `hise: 'strict'`: something a page does or gets that would break inside HISE, once per
   * (code, id), e.g. `HISE_FRAME_TOO_LONG` (docs/HISE-STRICT.md). With no listener, `console.warn`.
   */
  'hise-warning': [warning: HiseWarning];
}
