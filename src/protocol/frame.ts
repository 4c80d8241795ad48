import { Layout, Limits, PLATFORM_IS_LITTLE_ENDIAN } from './constants.js';
import { ProtocolError } from './errors.js';
import { DATA_ALIGNMENT, ELEMENT_BYTES, FLAG_SEQUENCE, FrameType, SEQUENCE_BYTES, TYPE_MASK } from './extension.js';
import { exactCopy } from './exact-buffer.js';
import { readUint32LE, writeUint32LE } from './uint32.js';
import { utf8ByteLength, writeUtf8, readUtf8 } from './utf8.js';

/** Every payload an extended frame carries, as the receiver gets it. */
export type FramePayload = string | Float32Array | Uint8Array | Int16Array | Int32Array | Float64Array | unknown;

/** One decoded extended frame. */
export interface Frame {
  /** The payload type (without the sequence flag). */
  type: FrameType;
  id: string;
  /** The sequence number, when the frame carries one. */
  seq: number | undefined;
  /** Raw data bytes: a view into the decoded message. */
  bytes: Uint8Array;
}

/** Options of {@link encodeFrame}. */
export interface EncodeFrameOptions {
  /** Adds the sequence field. */
  seq?: number;
  /**
   * Pads the id with NULs so the data starts at a multiple of {@link DATA_ALIGNMENT}. Extended
   * connections always pad; HISE's own frames never do.
   */
  align?: boolean;
}

/**
 * Encodes one frame: `type | idLength | id NUL [pad] | size | [seq] | data`.
 * @throws {ProtocolError} `ID_TOO_LONG`, `ID_CONTAINS_NUL`, `DATA_TOO_LARGE`, `INVALID_STRING`
 */
export function encodeFrame(type: number, id: string, data: Uint8Array | string, options: EncodeFrameOptions = {}): Uint8Array {
  if (id.includes('\0')) throw new ProtocolError('ID_CONTAINS_NUL', 'an id cannot contain a NUL character');
  const idBytes = utf8ByteLength(id);
  const dataBytes = typeof data === 'string' ? utf8ByteLength(data) : data.byteLength;
  if (dataBytes > Limits.MAX_DATA_BYTES) {
    throw new ProtocolError('DATA_TOO_LARGE', `data of ${dataBytes} bytes exceeds ${Limits.MAX_DATA_BYTES}`);
  }
  const seqBytes = options.seq === undefined ? 0 : SEQUENCE_BYTES;
  let idLength = idBytes + 1;
  if (options.align) {
    const unpadded = Layout.FIXED_HEADER_BYTES + idLength + seqBytes;
    idLength += (DATA_ALIGNMENT - (unpadded % DATA_ALIGNMENT)) % DATA_ALIGNMENT;
  }
  if (idLength - 1 > Limits.MAX_ID_BYTES) {
    throw new ProtocolError('ID_TOO_LONG', `id of ${idBytes} UTF-8 bytes exceeds ${Limits.MAX_ID_BYTES}`);
  }
  const sizeOffset = Layout.ID_OFFSET + idLength;
  const dataOffset = sizeOffset + Layout.SIZE_FIELD_BYTES + seqBytes;
  const bytes = new Uint8Array(dataOffset + dataBytes);
  bytes[Layout.TYPE_OFFSET] = type | (seqBytes === 0 ? 0 : FLAG_SEQUENCE);
  bytes[Layout.ID_LENGTH_OFFSET] = idLength & 0xff;
  bytes[Layout.ID_LENGTH_OFFSET + 1] = idLength >>> 8;
  writeUtf8(id, bytes, Layout.ID_OFFSET, idBytes);
  writeUint32LE(bytes, sizeOffset, dataBytes);
  if (options.seq !== undefined) writeUint32LE(bytes, sizeOffset + Layout.SIZE_FIELD_BYTES, options.seq >>> 0);
  if (typeof data === 'string') writeUtf8(data, bytes, dataOffset, dataBytes);
  else bytes.set(data, dataOffset);
  return bytes;
}

/**
 * A copy of `frame` (encoded with a sequence field) numbered `seq` instead: one message numbered for
 * many sessions is encoded once and copied, rather than encoded again for each.
 * @throws {ProtocolError} `INVALID_CONTROL_FRAME` when `frame` has no sequence field
 */
export function withSequence(frame: Uint8Array, seq: number): Uint8Array {
  if (frame.byteLength < Layout.FIXED_HEADER_BYTES || (frame[Layout.TYPE_OFFSET]! & FLAG_SEQUENCE) === 0) {
    throw new ProtocolError('INVALID_CONTROL_FRAME', 'only a frame with a sequence field can be renumbered');
  }
  const idLength = frame[Layout.ID_LENGTH_OFFSET]! | (frame[Layout.ID_LENGTH_OFFSET + 1]! << 8);
  const seqOffset = Layout.ID_OFFSET + idLength + Layout.SIZE_FIELD_BYTES;
  if (seqOffset + SEQUENCE_BYTES > frame.byteLength) throw new ProtocolError('ID_PAST_END', 'the sequence field runs past the end of the frame');
  const copy = frame.slice();
  writeUint32LE(copy, seqOffset, seq >>> 0);
  return copy;
}

/**
 * Decodes one extended frame's header and locates its data, checking every length first.
 * The id ends at its first NUL; the rest of the id field must be NUL padding.
 * @throws {ProtocolError} `TRUNCATED_HEADER`, `UNKNOWN_TYPE`, `ID_NOT_TERMINATED`, `ID_PAST_END`,
 *   `SIZE_PAST_END`, `TRAILING_BYTES`, `INVALID_UTF8`
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  const total = bytes.byteLength;
  if (total < Layout.FIXED_HEADER_BYTES) {
    throw new ProtocolError('TRUNCATED_HEADER', `${total} bytes is shorter than the ${Layout.FIXED_HEADER_BYTES}-byte header`);
  }
  const typeByte = bytes[Layout.TYPE_OFFSET]!;
  const type = (typeByte & TYPE_MASK) as FrameType;
  if (!KNOWN_TYPES.has(type)) {
    throw new ProtocolError('UNKNOWN_TYPE', `unknown frame type 0x${typeByte.toString(16).padStart(2, '0')}`);
  }
  const hasSeq = (typeByte & FLAG_SEQUENCE) !== 0;
  const idLength = bytes[Layout.ID_LENGTH_OFFSET]! | (bytes[Layout.ID_LENGTH_OFFSET + 1]! << 8);
  if (idLength === 0) throw new ProtocolError('ID_NOT_TERMINATED', 'id length 0 leaves no room for the NUL terminator');
  const sizeOffset = Layout.ID_OFFSET + idLength;
  const headerEnd = sizeOffset + Layout.SIZE_FIELD_BYTES + (hasSeq ? SEQUENCE_BYTES : 0);
  if (headerEnd > total) throw new ProtocolError('ID_PAST_END', `id of length ${idLength} runs past the end of ${total} bytes`);
  const idEnd = bytes.indexOf(0, Layout.ID_OFFSET);
  if (idEnd === -1 || idEnd >= sizeOffset) throw new ProtocolError('ID_NOT_TERMINATED', 'id does not end with a NUL byte');
  for (let i = idEnd + 1; i < sizeOffset; i++) {
    if (bytes[i] !== 0) throw new ProtocolError('ID_NOT_TERMINATED', 'id padding holds a byte other than NUL');
  }
  // Byte reads rather than a DataView: this runs for every frame, and a DataView is an allocation.
  const size = readUint32LE(bytes, sizeOffset);
  const seq = hasSeq ? readUint32LE(bytes, sizeOffset + Layout.SIZE_FIELD_BYTES) : undefined;
  if (size > total - headerEnd) throw new ProtocolError('SIZE_PAST_END', `data of ${size} bytes runs past the end of ${total} bytes`);
  if (size < total - headerEnd) throw new ProtocolError('TRAILING_BYTES', `${total - headerEnd - size} bytes follow the announced data`);
  const id = readUtf8(bytes.subarray(Layout.ID_OFFSET, idEnd), 'id');
  return { type, id, seq, bytes: bytes.subarray(headerEnd, headerEnd + size) };
}

const KNOWN_TYPES: ReadonlySet<number> = /* @__PURE__ */ new Set(Object.values(FrameType));

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Float64ArrayConstructor;

const TYPED: Readonly<Record<number, TypedArrayConstructor>> = {
  [FrameType.Float32]: Float32Array,
  [FrameType.Int16]: Int16Array,
  [FrameType.Int32]: Int32Array,
  [FrameType.Float64]: Float64Array,
};

/** Options of {@link readPayload}. */
export interface ReadPayloadOptions {
  /**
   * A `Uint8Array` or typed array payload in a buffer of exactly its size (one copy), so it has
   * `byteOffset` 0 and `buffer.byteLength === byteLength`. Otherwise such payloads are views into
   * the message (when aligned).
   */
  exact?: boolean;
}

/**
 * The value a data frame carries: a string, parsed JSON, a `Uint8Array`, or a typed array that is a
 * zero-copy view when aligned (one copy otherwise), or in a buffer of its own with `options.exact`.
 * @throws {ProtocolError} `INVALID_UTF8`, `INVALID_JSON`, `FLOAT_SIZE_NOT_MULTIPLE_OF_4`,
 *   `ELEMENT_SIZE_MISMATCH` (int16/int32/float64 data not a whole number of elements),
 *   `UNKNOWN_TYPE` for control frames
 */
export function readPayload(frame: Frame, options?: ReadPayloadOptions): FramePayload {
  const { type, bytes } = frame;
  if (type === FrameType.String) return readUtf8(bytes, 'string data');
  if (type === FrameType.Json) {
    const text = readUtf8(bytes, 'JSON data');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ProtocolError('INVALID_JSON', `JSON data does not parse: ${(error as Error).message}`);
    }
  }
  if (type === FrameType.Bytes) return options?.exact ? new Uint8Array(exactCopy(bytes)) : bytes;
  const Typed = TYPED[type];
  if (Typed === undefined) throw new ProtocolError('UNKNOWN_TYPE', `frame type 0x${type.toString(16)} carries no data payload`);
  const size = ELEMENT_BYTES[type]!;
  if (bytes.byteLength % size !== 0) {
    throw new ProtocolError(
      type === FrameType.Float32 ? 'FLOAT_SIZE_NOT_MULTIPLE_OF_4' : 'ELEMENT_SIZE_MISMATCH',
      `${bytes.byteLength} bytes is not a whole number of ${size}-byte elements`,
    );
  }
  if (!PLATFORM_IS_LITTLE_ENDIAN) return readSwapped(Typed, bytes, size);
  if (options?.exact) return new Typed(exactCopy(bytes));
  if (bytes.byteOffset % size === 0) return new Typed(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
  const copy = new Typed(bytes.byteLength / size);
  new Uint8Array(copy.buffer).set(bytes);
  return copy;
}

/**
 * Encodes any value a modern peer can send: string → String; `Float32Array`, `Int16Array`,
 * `Int32Array`, `Float64Array` → their types; `Uint8Array` or `ArrayBuffer` → Bytes; anything else
 * JSON-serialisable → Json.
 * @throws {ProtocolError} as {@link encodeFrame}, and `UNSERIALIZABLE` for values JSON cannot carry
 */
export function encodeValue(id: string, value: unknown, options: EncodeFrameOptions = {}): Uint8Array {
  const [type, data] = valueToWire(value);
  return encodeFrame(type, id, data, options);
}

/** The frame type and data bytes (or text) for a value. */
export function valueToWire(value: unknown): [FrameType, Uint8Array | string] {
  if (typeof value === 'string') return [FrameType.String, value];
  if (value instanceof Float32Array) return [FrameType.Float32, littleEndianBytes(value)];
  if (value instanceof Uint8Array) return [FrameType.Bytes, value];
  if (value instanceof ArrayBuffer) return [FrameType.Bytes, new Uint8Array(value)];
  if (value instanceof Int16Array) return [FrameType.Int16, littleEndianBytes(value)];
  if (value instanceof Int32Array) return [FrameType.Int32, littleEndianBytes(value)];
  if (value instanceof Float64Array) return [FrameType.Float64, littleEndianBytes(value)];
  return [FrameType.Json, toJson(value)];
}

/** `JSON.stringify` that refuses, with a code, what it cannot carry (undefined, functions, cycles, BigInt). */
export function toJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ProtocolError('UNSERIALIZABLE', `cannot serialise to JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new ProtocolError('UNSERIALIZABLE', `cannot serialise ${typeof value} to JSON`);
  return text;
}

function littleEndianBytes(array: Float32Array | Int16Array | Int32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (PLATFORM_IS_LITTLE_ENDIAN) return bytes;
  const swapped = new Uint8Array(bytes);
  const size = array.BYTES_PER_ELEMENT;
  for (let i = 0; i < swapped.length; i += size) swapped.subarray(i, i + size).reverse();
  return swapped;
}

function readSwapped(Typed: TypedArrayConstructor, bytes: Uint8Array, size: number): FramePayload {
  const swapped = new Uint8Array(bytes);
  for (let i = 0; i < swapped.length; i += size) swapped.subarray(i, i + size).reverse();
  return new Typed(swapped.buffer as ArrayBuffer);
}
