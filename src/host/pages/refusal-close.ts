import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { fitCloseReason, RefusalCode } from '../../protocol/index.js';
import { writeStatus } from '../http/guard.js';
import { NULL_ORIGIN } from '../http/origin-policy.js';
import type { RefusalReason } from './upgrade-gate.js';

/**
 * Refused sockets that may be in their closing handshake at once; past it a refusal is a plain
 * HTTP status again, so a flood of refused pages costs a bounded number of sockets.
 */
export const MAX_CLOSING_REFUSALS = 64;
/** Milliseconds a refused socket may take to answer the close frame before it is cut off. */
export const REFUSAL_CLOSE_WAIT_MS = 1000;
/** Characters of a page's Origin quoted in a close reason (the reason has 123 bytes in all). */
const ORIGIN_CHARS = 40;

/** Why an upgrade is refused: the gate's reasons, and the host being full. */
export type UpgradeRefusal = RefusalReason | 'capacity';

/** What the reason texts name: the host's limits and whether it has a token. */
export interface RefusalContext {
  maxPages: number;
  maxConnectionsPerPage: number;
}

/** The HTTP status each refusal had before close codes, and still has when it cannot be closed. */
const STATUS = { host: 403, origin: 403, token: 401, session: 400, fallback: 426, capacity: 503 } as const;

/**
 * Refuses WebSocket upgrades so the page learns why: an origin, token or capacity refusal completes
 * the handshake and closes at once with a {@link RefusalCode} and a reason of at most 123 bytes
 * (what was refused, why, what admits it; never the token). Nothing the refused socket sends is
 * read: it has no message listener, and frames above 125 bytes close it (`maxPayload`). Other
 * refusals (a malformed session id, a modern client's fallback attempt, the `Host` check, which is
 * the HTTP guard's) stay plain HTTP statuses: a client relies on the 426, and a rebinding
 * attacker's page must learn nothing.
 */
export class RefusalCloser {
  readonly #wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: 125,
    perMessageDeflate: false,
    // Whatever the page offered: a browser fails a handshake whose answer names none of its protocols.
    handleProtocols: (offered) => offered.values().next().value ?? false,
  });
  #closing = 0;

  /** Refuses `socket` for `reason`: closed with a code and reason where that tells the page more, else the HTTP status. */
  refuse(request: IncomingMessage, socket: Duplex, head: Buffer, reason: UpgradeRefusal, context: RefusalContext): void {
    const close = closeFor(reason, request.headers.origin, context);
    if (close === undefined || this.#closing >= MAX_CLOSING_REFUSALS || socket.destroyed) {
      writeStatus(socket, STATUS[reason]);
      return;
    }
    this.#closing++;
    socket.once('close', () => this.#closing--);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(close.code, close.reason);
      const cutOff = setTimeout(() => ws.terminate(), REFUSAL_CLOSE_WAIT_MS);
      cutOff.unref();
      ws.once('close', () => clearTimeout(cutOff));
    });
  }
}

/** The close code and reason text for a refusal, or `undefined` when it stays an HTTP status. */
export function closeFor(reason: UpgradeRefusal, origin: string | undefined, context: RefusalContext): { code: number; reason: string } | undefined {
  switch (reason) {
    case 'origin':
      return { code: RefusalCode.Origin, reason: fitCloseReason(originReason(origin)) };
    case 'token':
      return {
        code: RefusalCode.Token,
        reason: fitCloseReason('token missing or wrong: the host bridge script carries it; else add ?token= (--token-file, HISE_WEBVIEW_TOKEN)'),
      };
    case 'capacity':
      return {
        code: RefusalCode.Capacity,
        reason: fitCloseReason(
          `host full: ${context.maxPages} pages (maxPages) or ${context.maxConnectionsPerPage} sockets in this tab (maxConnectionsPerPage); close tabs`,
        ),
      };
    default:
      return undefined;
  }
}

function originReason(origin: string | undefined): string {
  if (origin === NULL_ORIGIN) return 'origin null (a file:// page) refused: start the host with --allow-file-pages (allowFilePages) and a token';
  const quoted = quote(origin ?? '');
  return `origin ${quoted} not allowed; if the page is yours: --allow-origin ${quoted} (allowedOrigins)`;
}

/** An origin as printable ASCII, shortened in the middle to {@link ORIGIN_CHARS}. */
function quote(origin: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = origin.replace(/[^\x20-\x7e]/g, '?');
  if (clean.length <= ORIGIN_CHARS) return clean;
  const half = Math.floor((ORIGIN_CHARS - 1) / 2);
  return `${clean.slice(0, half)}…${clean.slice(-half)}`;
}
