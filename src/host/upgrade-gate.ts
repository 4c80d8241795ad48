import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PARAM } from '../protocol/index.js';
import { isOriginAllowed } from './origin-policy.js';

/** Why a connection was refused before the upgrade. */
export type RefusalReason = 'origin' | 'token';

export interface Refusal {
  reason: RefusalReason;
  status: 401 | 403;
}

/**
 * Decides, from the handshake request alone, whether a WebSocket may open: the Origin must be
 * allowed (403 otherwise), and when the host has a token, `?token=` must match it (401 otherwise).
 */
export function checkUpgrade(request: IncomingMessage, allowedOrigins: readonly string[], token: string | undefined): Refusal | undefined {
  if (!isOriginAllowed(request.headers.origin, allowedOrigins)) return { reason: 'origin', status: 403 };
  if (token === undefined) return undefined;
  const offered = new URL(request.url ?? '/', 'http://host').searchParams.get(TOKEN_PARAM);
  return offered !== null && sameSecret(offered, token) ? undefined : { reason: 'token', status: 401 };
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
