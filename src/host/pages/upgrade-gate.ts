import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isSessionId, SESSION_PARAM, SUBPROTOCOL, TOKEN_PARAM } from '../../protocol/index.js';
import { isOriginAllowed } from '../http/origin-policy.js';

/** Why a connection was refused before the upgrade (`'host'`: the HTTP guard's DNS-rebinding check). */
export type RefusalReason = 'host' | 'origin' | 'token' | 'session' | 'fallback';

export interface Refusal {
  reason: RefusalReason;
  status: 400 | 401 | 403 | 426;
}

/** What the gate needs to know of the host. */
export interface GatePolicy {
  allowedOrigins: readonly string[];
  token: string | undefined;
  /** Whether the host speaks the extension (then a modern client's fallback attempt is refused). */
  extensions: boolean;
}

/**
 * Decides, from the handshake request alone (its query as the HTTP guard parsed it), whether a WebSocket may open: the Origin must be
 * allowed (403 otherwise), and when the host has a token, `?token=` must match it (401 otherwise).
 * A `?session=` must have the shape of an unguessable session id (400 otherwise, PROTOCOL.md §4, "Session ids"):
 * the id is a bearer secret, and a short or predictable one could be taken over by another peer.
 *
 * A modern client (it sends `?session=`) that does not offer the subprotocol is trying its fallback
 * for hosts that ignore subprotocols, like HISE. A host that speaks the extension refuses that
 * attempt (426), so the client comes back with the subprotocol instead of settling for HISE's format.
 */
export function checkUpgrade(request: IncomingMessage, params: URLSearchParams, policy: GatePolicy): Refusal | undefined {
  if (!isOriginAllowed(request.headers.origin, policy.allowedOrigins)) return { reason: 'origin', status: 403 };
  if (policy.token !== undefined) {
    const offered = params.get(TOKEN_PARAM);
    if (offered === null || !sameSecret(offered, policy.token)) return { reason: 'token', status: 401 };
  }
  const session = params.get(SESSION_PARAM);
  if (session !== null && !isSessionId(session)) return { reason: 'session', status: 400 };
  if (policy.extensions && session !== null && !offersSubprotocol(request)) return { reason: 'fallback', status: 426 };
  return undefined;
}

function offersSubprotocol(request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol'];
  return header !== undefined && header.split(',').some((protocol) => protocol.trim() === SUBPROTOCOL);
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
