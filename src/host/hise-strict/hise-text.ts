// What HISE makes of text and ids (HISE-BEHAVIOUR.md "WebSocket"): it counts characters where the
// wire format counts UTF-8 bytes. Pure functions, no I/O.

const encoder = new TextEncoder();

/** The longest WebSocket payload HISE frames correctly: longer ones need an extended length, which HISE writes little-endian. */
export const HISE_MAX_INTACT_PAYLOAD = 125;

/** Characters of `text` as HISE counts them (we count Unicode code points: a pair of UTF-16 surrogates is one). */
export function hiseCharCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * The bytes of `text` a page receives from HISE: its UTF-8 form cut to as many bytes as it has
 * characters (HISE writes the character count as the size and sends that many bytes). ASCII text is
 * whole; other text loses its tail, possibly inside a character (then the bytes are not valid UTF-8).
 */
export function cutAsHise(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  return bytes.subarray(0, Math.min(bytes.byteLength, hiseCharCount(text)));
}

/** Whether `text` is all ASCII (HISE's counts are right for it). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * The WebSocket payload HISE sends for a message: type, id length, id and its NUL, size, data
 * (`1 + 2 + (id chars + 1) + 4 + size`), in bytes as HISE counts them.
 */
export function hisePayloadBytes(id: string, dataBytes: number): number {
  return 1 + 2 + hiseCharCount(id) + 1 + 4 + dataBytes;
}
