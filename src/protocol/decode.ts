import { Layout, MessageType, PLATFORM_IS_LITTLE_ENDIAN } from './constants.js';
import { ProtocolError } from './errors.js';
import { readFloat32 } from './float32.js';
import { exactCopy } from './exact-buffer.js';
import { readUint32LE } from './uint32.js';
import { readUtf8 } from './utf8.js';

/** A decoded string message. */
export interface StringMessage {
  type: typeof MessageType.String;
  id: string;
  data: string;
}

/** A decoded float32 message; `data` may be a view into the decoded bytes (see {@link decodeMessage}). */
export interface Float32Message {
  type: typeof MessageType.Float32;
  id: string;
  data: Float32Array;
}

export type DecodedMessage = StringMessage | Float32Message;

export interface DecodeOptions {
  /**
   * The caller owns `bytes` outright (a WebSocket message's own `ArrayBuffer`) and lets unaligned
   * float data be moved down within it, over header bytes already read, so the result is a view and
   * nothing is allocated. Allocating a second buffer per frame is what made copying slow in browsers
   * (bench/ANALYSIS.md §1).
   */
  inPlace?: boolean;
  /**
   * Float data in a buffer of exactly its size (one copy): the `Float32Array` has `byteOffset` 0 and
   * `buffer.byteLength === length * 4`, so its receiver may keep it or transfer its buffer, as with
   * HISE's client. Takes precedence over `inPlace`.
   */
  exact?: boolean;
}

/**
 * Decodes one host → page payload. Every length is checked against `bytes` before it is read.
 *
 * A float32 payload is a zero-copy view into `bytes.buffer` when it starts 4-byte aligned, so the
 * caller must not reuse that buffer while it keeps the result; otherwise it is one copy.
 * @throws {ProtocolError} and nothing else: `TRUNCATED_HEADER`, `UNKNOWN_TYPE`, `ID_NOT_TERMINATED`,
 *   `ID_PAST_END`, `SIZE_PAST_END`, `TRAILING_BYTES`, `INVALID_UTF8`, `FLOAT_SIZE_NOT_MULTIPLE_OF_4`
 */
export function decodeMessage(bytes: Uint8Array, options?: DecodeOptions): DecodedMessage {
  const total = bytes.byteLength;
  if (total < Layout.FIXED_HEADER_BYTES) {
    throw new ProtocolError('TRUNCATED_HEADER', `${total} bytes is shorter than the ${Layout.FIXED_HEADER_BYTES}-byte header`);
  }
  const type = bytes[Layout.TYPE_OFFSET]!;
  if (type !== MessageType.String && type !== MessageType.Float32) {
    throw new ProtocolError('UNKNOWN_TYPE', `unknown message type 0x${type.toString(16).padStart(2, '0')}`);
  }
  const idLength = bytes[Layout.ID_LENGTH_OFFSET]! | (bytes[Layout.ID_LENGTH_OFFSET + 1]! << 8);
  if (idLength === 0) throw new ProtocolError('ID_NOT_TERMINATED', 'id length 0 leaves no room for the NUL terminator');
  const sizeOffset = Layout.ID_OFFSET + idLength;
  if (sizeOffset + Layout.SIZE_FIELD_BYTES > total) {
    throw new ProtocolError('ID_PAST_END', `id of length ${idLength} runs past the end of ${total} bytes`);
  }
  if (bytes[sizeOffset - 1] !== 0) throw new ProtocolError('ID_NOT_TERMINATED', 'id does not end with a NUL byte');
  const size = readUint32LE(bytes, sizeOffset);
  const dataOffset = sizeOffset + Layout.SIZE_FIELD_BYTES;
  if (size > total - dataOffset) {
    throw new ProtocolError('SIZE_PAST_END', `data of ${size} bytes runs past the end of ${total} bytes`);
  }
  if (size < total - dataOffset) {
    throw new ProtocolError('TRAILING_BYTES', `${total - dataOffset - size} bytes follow the announced data`);
  }
  const id = readUtf8(bytes.subarray(Layout.ID_OFFSET, sizeOffset - 1), 'id');
  const payload = bytes.subarray(dataOffset, dataOffset + size);
  if (type === MessageType.String) return { type, id, data: readUtf8(payload, 'string data') };
  if (options?.exact && PLATFORM_IS_LITTLE_ENDIAN && size % Layout.FLOAT32_BYTES === 0) {
    return { type, id, data: new Float32Array(exactCopy(payload)) };
  }
  const misaligned = payload.byteOffset % Layout.FLOAT32_BYTES;
  if (options?.inPlace && misaligned !== 0 && PLATFORM_IS_LITTLE_ENDIAN && size % Layout.FLOAT32_BYTES === 0) {
    // The header is at least 8 bytes, so the previous boundary is still inside this message.
    const aligned = payload.byteOffset - misaligned;
    new Uint8Array(bytes.buffer).copyWithin(aligned, payload.byteOffset, payload.byteOffset + size);
    return { type, id, data: new Float32Array(bytes.buffer, aligned, size / Layout.FLOAT32_BYTES) };
  }
  return { type, id, data: readFloat32(payload) };
}
