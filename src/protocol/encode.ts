import { Layout, Limits, MessageType } from './constants.js';
import { ProtocolError } from './errors.js';
import { writeFloat32 } from './float32.js';
import { writeUint32LE } from './uint32.js';
import { utf8ByteLength, writeUtf8 } from './utf8.js';

/**
 * Encodes a string message (type 1): the exact bytes HISE puts in one binary WebSocket frame.
 * @throws {ProtocolError} `ID_TOO_LONG`, `ID_CONTAINS_NUL`, `DATA_TOO_LARGE`, `INVALID_STRING`
 */
export function encodeString(id: string, text: string): Uint8Array {
  const textBytes = utf8ByteLength(text);
  const frame = allocateFrame(MessageType.String, id, textBytes);
  writeUtf8(text, frame.bytes, frame.dataOffset, textBytes);
  return frame.bytes;
}

/**
 * Encodes a string message (type 1) whose data are `bytes` as given, not checked as UTF-8: what
 * HISE sends for text it cut short (HISE-strict mode).
 * @throws {ProtocolError} `ID_TOO_LONG`, `ID_CONTAINS_NUL`, `DATA_TOO_LARGE`, `INVALID_STRING`
 */
export function encodeStringBytes(id: string, bytes: Uint8Array): Uint8Array {
  const frame = allocateFrame(MessageType.String, id, bytes.byteLength);
  frame.bytes.set(bytes, frame.dataOffset);
  return frame.bytes;
}

/**
 * Encodes a float32 message (type 2), copying the samples as they are now.
 * @throws {ProtocolError} `ID_TOO_LONG`, `ID_CONTAINS_NUL`, `DATA_TOO_LARGE`, `INVALID_STRING`
 */
export function encodeFloat32(id: string, samples: Float32Array): Uint8Array {
  const frame = allocateFrame(MessageType.Float32, id, samples.byteLength);
  writeFloat32(samples, frame.bytes, frame.dataOffset);
  return frame.bytes;
}

interface FrameUnderConstruction {
  bytes: Uint8Array;
  dataOffset: number;
}

/** Checks every limit, then allocates the whole frame once and writes its header and id. */
function allocateFrame(type: MessageType, id: string, dataBytes: number): FrameUnderConstruction {
  const idBytes = checkedIdByteLength(id);
  if (dataBytes > Limits.MAX_DATA_BYTES) {
    throw new ProtocolError('DATA_TOO_LARGE', `data of ${dataBytes} bytes exceeds ${Limits.MAX_DATA_BYTES}`);
  }
  const idLength = idBytes + 1;
  const dataOffset = Layout.FIXED_HEADER_BYTES + idLength;
  const bytes = new Uint8Array(dataOffset + dataBytes);
  bytes[Layout.TYPE_OFFSET] = type;
  bytes[Layout.ID_LENGTH_OFFSET] = idLength & 0xff;
  bytes[Layout.ID_LENGTH_OFFSET + 1] = idLength >>> 8;
  writeUtf8(id, bytes, Layout.ID_OFFSET, idBytes);
  // The NUL terminator is already 0 in a fresh array.
  writeUint32LE(bytes, Layout.ID_OFFSET + idLength, dataBytes);
  return { bytes, dataOffset };
}

function checkedIdByteLength(id: string): number {
  if (id.includes('\0')) throw new ProtocolError('ID_CONTAINS_NUL', 'an id cannot contain a NUL character');
  const idBytes = utf8ByteLength(id);
  if (idBytes > Limits.MAX_ID_BYTES) {
    throw new ProtocolError('ID_TOO_LONG', `id of ${idBytes} UTF-8 bytes exceeds ${Limits.MAX_ID_BYTES}`);
  }
  return idBytes;
}
