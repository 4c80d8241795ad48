/**
 * Session ids (PROTOCOL.md §4, "Session ids"): a modern client's `?session=` is a bearer secret. Whoever
 * presents it resumes the session (its unacknowledged messages, its page → host numbering), so it
 * must be unguessable: 128 bits from the platform's cryptographic generator, written as 32
 * lowercase hex digits. The host refuses any other shape.
 */

/** Random bytes in a session id. */
export const SESSION_ID_BYTES = 16;
/** Characters of a session id: two lowercase hex digits per byte. */
export const SESSION_ID_LENGTH = SESSION_ID_BYTES * 2;

const SESSION_ID_SHAPE = /^[0-9a-f]{32}$/;

/** The part of Web Crypto a session id needs; browsers (secure or not), workers and Node ≥ 19 have it. */
export interface RandomSource {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
}

/**
 * A new session id: {@link SESSION_ID_BYTES} bytes from `crypto.getRandomValues`, as hex.
 * `getRandomValues` (unlike `randomUUID`) exists in insecure contexts too, e.g. a page served over
 * plain http from a LAN address, so there is never a reason to fall back to a weaker generator.
 * @throws {TypeError} when there is no `crypto.getRandomValues` (there is no safe fallback)
 */
export function createSessionId(random: RandomSource | undefined = (globalThis as { crypto?: RandomSource }).crypto): string {
  if (typeof random?.getRandomValues !== 'function') {
    throw new TypeError('no crypto.getRandomValues here: a session id needs a cryptographic random source');
  }
  const bytes = random.getRandomValues(new Uint8Array(SESSION_ID_BYTES));
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return id;
}

/** True for a string of the shape {@link createSessionId} makes (32 lowercase hex digits). */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_SHAPE.test(value);
}
