/**
 * WebSocket framing as HISE's own server writes and reads it (HISE-BEHAVIOUR.md "WebSocket";
 * PROTOCOL-NOTES.md §1): extended payload lengths are little-endian both ways (RFC 6455 says
 * big-endian), and HISE reads a 64-bit length as 0. The proxy to a running HISE uses these to read
 * HISE's frames correctly and to write page messages HISE reads correctly. Pure: no Node, no DOM.
 */
import { Layout } from './constants.js';
import { ProtocolError } from './errors.js';

/** The sizes that decide how a frame's length is written. */
export const HiseFraming = {
  /** The largest payload whose length fits the frame's first length field: framed the same by HISE and RFC 6455. */
  MAX_SHORT_PAYLOAD: 125,
  /** Length-field value announcing a 16-bit extended length. */
  LENGTH_16: 126,
  /** Length-field value announcing a 64-bit extended length (HISE reads it as 0). */
  LENGTH_64: 127,
  /** The largest payload HISE can read from a page: a 16-bit extended length. */
  MAX_READABLE_PAYLOAD: 0xffff,
} as const;

/** WebSocket opcodes the proxy sends or reads. */
export const Opcode = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

/** One frame read from HISE. `lengthOrder`: how its extended length was written (`'none'` for ≤ 125 bytes). */
export interface HiseServerFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Uint8Array;
  /** Bytes of `bytes` the frame took: the next frame starts there. */
  readonly size: number;
  readonly lengthOrder: 'none' | 'little' | 'big';
}

/** Where the first frame of `bytes` lies: its header, its payload's length, how that length was written. */
interface FrameBounds {
  readonly headerBytes: number;
  readonly length: number;
  readonly lengthOrder: HiseServerFrame['lengthOrder'];
}

/**
 * How many bytes the first frame of `bytes` takes in all, once its header says so (for an extended
 * length of two possible readings, once the payload's own header has come too).
 * @returns the size, or `undefined` when `bytes` does not hold enough of the frame to tell
 * @throws {ProtocolError} `DATA_TOO_LARGE` past `maxPayload`
 */
export function hiseFrameSize(bytes: Uint8Array, maxPayload: number): number | undefined {
  const bounds = frameBounds(bytes, maxPayload);
  return bounds === undefined ? undefined : bounds.headerBytes + bounds.length;
}

/**
 * Reads the first frame of `bytes`, written by HISE's server: unmasked, extended length
 * little-endian. A 2-byte or 8-byte length that reads differently in the two byte orders is taken
 * in the order the payload's own header (PROTOCOL.md §1: `7 + idLength + size` bytes) confirms, so
 * a HISE that writes RFC 6455's big-endian lengths is read right too; unconfirmed, little-endian.
 * @returns the frame, or `undefined` when `bytes` does not hold all of it yet
 * @throws {ProtocolError} `DATA_TOO_LARGE` past `maxPayload`, before anything is allocated
 */
export function readHiseServerFrame(bytes: Uint8Array, maxPayload: number): HiseServerFrame | undefined {
  const bounds = frameBounds(bytes, maxPayload);
  if (bounds === undefined) return undefined;
  const { headerBytes, length, lengthOrder } = bounds;
  if (bytes.length < headerBytes + length) return undefined;
  const payload = bytes.slice(headerBytes, headerBytes + length);
  if ((bytes[1]! & 0x80) !== 0) unmask(payload, bytes.subarray(headerBytes - 4, headerBytes));
  return { fin: (bytes[0]! & 0x80) !== 0, opcode: bytes[0]! & 0x0f, payload, size: headerBytes + length, lengthOrder };
}

function frameBounds(bytes: Uint8Array, maxPayload: number): FrameBounds | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = bytes[0]! & 0x0f;
  const masked = (bytes[1]! & 0x80) !== 0;
  const short = bytes[1]! & 0x7f;
  const fieldBytes = short === HiseFraming.LENGTH_16 ? 2 : short === HiseFraming.LENGTH_64 ? 8 : 0;
  const headerBytes = 2 + fieldBytes + (masked ? 4 : 0);
  if (bytes.length < headerBytes) return undefined;
  if (fieldBytes === 0) return { headerBytes, length: short, lengthOrder: 'none' };
  const little = readUnsigned(bytes, 2, fieldBytes, true);
  const big = readUnsigned(bytes, 2, fieldBytes, false);
  if (Math.min(little, big) > maxPayload) throw tooLarge(Math.min(little, big), maxPayload);
  const order = little === big ? 'little' : chooseOrder(bytes, headerBytes, opcode, little, big);
  if (order === undefined) return undefined; // the payload's header has not arrived yet
  const length = order === 'little' ? little : big;
  if (length > maxPayload) throw tooLarge(length, maxPayload);
  return { headerBytes, length, lengthOrder: order };
}

/**
 * Frames a page's message for HISE: masked (a client's frames are), its length as HISE reads it:
 * ≤ 125 bytes in the first length field, as RFC 6455; up to 65,535 bytes a 16-bit extended length
 * written little-endian. Anything larger HISE cannot read (it reads a 64-bit length as 0).
 * @param mask four random bytes
 * @throws {ProtocolError} `DATA_TOO_LARGE` past 65,535 bytes
 */
export function encodeFrameForHise(opcode: number, payload: Uint8Array, mask: Uint8Array): Uint8Array {
  const length = payload.length;
  if (length > HiseFraming.MAX_READABLE_PAYLOAD) {
    throw new ProtocolError('DATA_TOO_LARGE', `a ${length}-byte message cannot reach HISE: it reads frames of at most ${HiseFraming.MAX_READABLE_PAYLOAD} bytes (a 64-bit length as 0)`);
  }
  const extended = length > HiseFraming.MAX_SHORT_PAYLOAD;
  const headerBytes = 2 + (extended ? 2 : 0) + 4;
  const frame = new Uint8Array(headerBytes + length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (extended ? HiseFraming.LENGTH_16 : length);
  if (extended) {
    frame[2] = length & 0xff; // little-endian, as HISE reads it
    frame[3] = length >>> 8;
  }
  frame.set(mask.subarray(0, 4), headerBytes - 4);
  frame.set(payload, headerBytes);
  unmask(frame.subarray(headerBytes), mask);
  return frame;
}

/** Which reading of an ambiguous extended length the payload's own header confirms; `undefined`: not enough bytes yet. */
function chooseOrder(bytes: Uint8Array, start: number, opcode: number, little: number, big: number): 'little' | 'big' | undefined {
  if (opcode !== Opcode.Binary) return 'little';
  const idLengthEnd = start + Layout.ID_OFFSET;
  if (bytes.length < idLengthEnd) return Math.min(little, big) < Layout.ID_OFFSET ? 'little' : undefined;
  const idLength = bytes[start + 1]! | (bytes[start + 2]! << 8);
  const sizeEnd = idLengthEnd + idLength + Layout.SIZE_FIELD_BYTES;
  if (bytes.length < sizeEnd) return Math.min(little, big) < sizeEnd - start ? 'little' : undefined;
  const expected = Layout.FIXED_HEADER_BYTES + idLength + readUnsigned(bytes, sizeEnd - Layout.SIZE_FIELD_BYTES, 4, true);
  return expected === big && expected !== little ? 'big' : 'little';
}

function tooLarge(length: number, maxPayload: number): ProtocolError {
  return new ProtocolError('DATA_TOO_LARGE', `HISE sent a frame of ${length} bytes: more than maxPayload (${maxPayload})`);
}

function readUnsigned(bytes: Uint8Array, offset: number, count: number, littleEndian: boolean): number {
  let value = 0;
  for (let i = 0; i < count; i++) value += bytes[offset + (littleEndian ? i : count - 1 - i)]! * 2 ** (8 * i);
  return value;
}

function unmask(payload: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
}
