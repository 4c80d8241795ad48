/**
 * How a host refuses a page it will not serve (a bad origin or token, no room …): it completes the
 * WebSocket handshake and closes at once with a close code from {@link MIN_REFUSAL_CLOSE_CODE} to
 * {@link MAX_REFUSAL_CLOSE_CODE} and a reason text that says what was refused, why, and what would
 * admit the page. A failed handshake shows the page's console nothing it can act on; a close
 * reason reaches it, and both clients log it there.
 */

/** The lowest close code of a refusal (private-use range, RFC 6455 §7.4.2). */
export const MIN_REFUSAL_CLOSE_CODE = 4400;
/** The highest close code of a refusal. */
export const MAX_REFUSAL_CLOSE_CODE = 4599;
/** The longest close reason a WebSocket close frame carries, in UTF-8 bytes (125 minus the 2-byte code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** True for a close code of a refusal. */
export function isRefusalCloseCode(code: unknown): boolean {
  return typeof code === 'number' && code >= MIN_REFUSAL_CLOSE_CODE && code <= MAX_REFUSAL_CLOSE_CODE;
}
