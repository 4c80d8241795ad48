import { ProtocolError } from './errors.js';

const encoder = /* @__PURE__ */ new TextEncoder();
/** Up to this many bytes, text is first tried as plain ASCII. */
const SHORT_ASCII_BYTES = 32;
const strictDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Counts the UTF-8 bytes of `text` without allocating, and refuses lone surrogates, which
 * `TextEncoder` would silently turn into U+FFFD.
 * @throws {ProtocolError} `INVALID_STRING`
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw loneSurrogate(i);
      bytes += 4;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) throw loneSurrogate(i);
    else bytes += 3;
  }
  return bytes;
}

/** Writes `text` as UTF-8 into `target` at `offset`; the caller has sized `target` with {@link utf8ByteLength}. */
export function writeUtf8(text: string, target: Uint8Array, offset: number, byteLength: number): void {
  if (byteLength === text.length) {
    // ASCII only: a plain loop beats encodeInto's call overhead for the short ids of every frame.
    if (byteLength < 64) {
      for (let i = 0; i < byteLength; i++) target[offset + i] = text.charCodeAt(i);
      return;
    }
  }
  encoder.encodeInto(text, target.subarray(offset, offset + byteLength));
}

/**
 * Decodes UTF-8 strictly.
 * @throws {ProtocolError} `INVALID_UTF8` for any malformed sequence
 */
export function readUtf8(bytes: Uint8Array, what: string): string {
  if (bytes.length <= SHORT_ASCII_BYTES) {
    // Ids are short and ASCII: a loop beats a TextDecoder call (bench/ANALYSIS.md §1).
    let text = '';
    let i = 0;
    for (; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) break;
      text += String.fromCharCode(byte);
    }
    if (i === bytes.length) return text;
  }
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new ProtocolError('INVALID_UTF8', `${what} is not valid UTF-8`);
  }
}

function loneSurrogate(index: number): ProtocolError {
  return new ProtocolError('INVALID_STRING', `lone UTF-16 surrogate at index ${index} has no UTF-8 form`);
}
