/**
 * Close codes a host sends when it refuses a page's WebSocket after completing the handshake, so
 * the page (its console, its client) learns why instead of seeing only a failed socket. They sit in
 * the private-use range 4000–4999 (RFC 6455 §7.4.2), in 4400–4599 to echo the HTTP status they
 * replace: 44xx the page must change something, 45xx the host is full. Nothing the page sends on
 * such a socket is read. See PROTOCOL.md and docs/TROUBLESHOOTING.md.
 */
export const RefusalCode = {
  /** `?token=` missing or wrong (was HTTP 401). */
  Token: 4401,
  /** The page's `Origin` is not allowed, `null` (a `file://` page) included (was HTTP 403). */
  Origin: 4403,
  /** The host has `maxPages` pages, or the page's tab `maxConnectionsPerPage` sockets (was HTTP 503). */
  Capacity: 4503,
} as const;

/** One of the {@link RefusalCode} values. */
export type RefusalCode = (typeof RefusalCode)[keyof typeof RefusalCode];

/** The range refusal codes come from: a client logs the reason of a close with any code in it, once. */
export const REFUSAL_CODE_MIN = 4400;
/** The highest close code of a refusal. */
export const REFUSAL_CODE_MAX = 4599;

/** Bytes a close frame's reason may hold (125 bytes of control payload, 2 of them the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Whether a close code says the host refused the page (4400–4599). */
export function isRefusalCode(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= REFUSAL_CODE_MIN && code <= REFUSAL_CODE_MAX;
}

/**
 * `text` cut to at most {@link MAX_CLOSE_REASON_BYTES} UTF-8 bytes on a character boundary, with
 * `…` marking a cut.
 */
export function fitCloseReason(text: string): string {
  let total = 0;
  for (const char of text) total += encodedBytes(char);
  if (total <= MAX_CLOSE_REASON_BYTES) return text;
  const budget = MAX_CLOSE_REASON_BYTES - encodedBytes('…');
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = encodedBytes(char);
    if (bytes + size > budget) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}

/** UTF-8 bytes of one code point (a lone surrogate is sent as U+FFFD: 3 bytes). */
function encodedBytes(char: string): number {
  const point = char.codePointAt(0)!;
  return point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
}
