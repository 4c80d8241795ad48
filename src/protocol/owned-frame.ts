/**
 * Owned stream frames (PROTOCOL.md §4.9): a stream frame sent as two WebSocket messages, an
 * OwnedHead frame (id, seq, inner type, payload size, optional time) and then the payload alone, so
 * a browser receives the samples as an `ArrayBuffer` of exactly their size and hands it out
 * without a copy (`byteOffset` 0, `buffer.byteLength === length * BYTES_PER_ELEMENT`). Pure.
 */
import { ProtocolError } from './errors.js';
import { ELEMENT_BYTES, FrameType } from './extension.js';
import { encodeFrame, type Frame } from './frame.js';
import { STREAM_TYPES, TimedFlag, type StreamMeta } from './stream-meta.js';
import { readUint32LE, writeUint32LE } from './uint32.js';

/**
 * Payload bytes from which our host sends a stream frame owned (head + payload) to a page that
 * offered it; smaller frames go whole (a page may get either, and reads both). Below it the second
 * WebSocket message costs Chromium more than copying the samples out (bench/RESULTS.md, "Owned frames").
 */
export const OWNED_MIN_BYTES = 8192;

/** Layout of an OwnedHead frame's data. */
export const OwnedLayout = {
  INNER_TYPE_OFFSET: 0,
  FLAGS_OFFSET: 1,
  PAYLOAD_BYTES_OFFSET: 4,
  /** Bytes of the data without a time (flags 0). */
  BYTES: 8,
  TIME_OFFSET: 8,
  SAMPLE_POSITION_OFFSET: 16,
  /** Bytes of the data with a time and/or sample position (flags ≠ 0; an absent one is 0). */
  TIMED_BYTES: 24,
} as const;

/**
 * The OwnedHead frame of a stream frame whose data (`payloadBytes` of it) goes as the next
 * WebSocket message, by itself: the pair is the owned form of the stream frame.
 * @throws {ProtocolError} as `encodeFrame`; `INVALID_CONTROL_FRAME` when `type` is not a stream type
 */
export function encodeOwnedHead(type: number, id: string, payloadBytes: number, meta: StreamMeta | undefined, seq: number): Uint8Array {
  if (!STREAM_TYPES.has(type)) throw new ProtocolError('INVALID_CONTROL_FRAME', `type 0x${type.toString(16)} is not a stream type`);
  const timed = meta !== undefined && (meta.time !== undefined || meta.samplePosition !== undefined);
  const head = new Uint8Array(timed ? OwnedLayout.TIMED_BYTES : OwnedLayout.BYTES);
  head[OwnedLayout.INNER_TYPE_OFFSET] = type;
  writeUint32LE(head, OwnedLayout.PAYLOAD_BYTES_OFFSET, payloadBytes);
  if (timed) {
    const view = new DataView(head.buffer);
    let flags = 0;
    if (meta.time !== undefined) {
      flags |= TimedFlag.TIME;
      view.setFloat64(OwnedLayout.TIME_OFFSET, meta.time, true);
    }
    if (meta.samplePosition !== undefined) {
      flags |= TimedFlag.SAMPLE_POSITION;
      view.setFloat64(OwnedLayout.SAMPLE_POSITION_OFFSET, meta.samplePosition, true);
    }
    head[OwnedLayout.FLAGS_OFFSET] = flags;
  }
  return encodeFrame(FrameType.OwnedHead, id, head, { seq });
}

/** A decoded OwnedHead: the stream frame's type, id, seq, the payload's size and meta. */
export interface OwnedHead {
  readonly type: number;
  readonly id: string;
  readonly seq: number | undefined;
  readonly payloadBytes: number;
  readonly meta: StreamMeta | undefined;
  /** Bytes of the head message, for the fresh-streams count (head + payload = the frame's bytes). */
  readonly headBytes: number;
}

/**
 * Reads an OwnedHead frame (its data checked: a stream type, known flags, NUL padding, the
 * payload a whole number of elements).
 * @throws {ProtocolError} `INVALID_CONTROL_FRAME`
 */
export function readOwnedHead(frame: Frame, headBytes: number): OwnedHead {
  const { bytes } = frame;
  const bad = (why: string): never => {
    throw new ProtocolError('INVALID_CONTROL_FRAME', `an owned head ${why}`);
  };
  if (bytes.byteLength !== OwnedLayout.BYTES && bytes.byteLength !== OwnedLayout.TIMED_BYTES) bad(`has ${bytes.byteLength} bytes of data, not 8 or 24`);
  const type = bytes[OwnedLayout.INNER_TYPE_OFFSET]!;
  if (!STREAM_TYPES.has(type)) bad(`cannot announce type 0x${type.toString(16)}`);
  const flags = bytes[OwnedLayout.FLAGS_OFFSET]!;
  if ((flags & ~(TimedFlag.TIME | TimedFlag.SAMPLE_POSITION)) !== 0) bad(`has unknown flags 0x${flags.toString(16)}`);
  if ((flags === 0) !== (bytes.byteLength === OwnedLayout.BYTES)) bad('has a time field that its flags do not match');
  if (bytes[2] !== 0 || bytes[3] !== 0) bad('has a byte other than NUL in its padding');
  const payloadBytes = readUint32LE(bytes, OwnedLayout.PAYLOAD_BYTES_OFFSET);
  if (payloadBytes % ELEMENT_BYTES[type]! !== 0) bad(`announces ${payloadBytes} bytes, not a whole number of elements`);
  let meta: StreamMeta | undefined;
  if (flags !== 0) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    meta = {};
    if (flags & TimedFlag.TIME) meta.time = view.getFloat64(OwnedLayout.TIME_OFFSET, true);
    if (flags & TimedFlag.SAMPLE_POSITION) meta.samplePosition = view.getFloat64(OwnedLayout.SAMPLE_POSITION_OFFSET, true);
  }
  return { type, id: frame.id, seq: frame.seq, payloadBytes, meta, headBytes };
}

/**
 * The stream frame a head and its payload message make: its data is the payload itself, so a
 * typed array read from it owns its buffer.
 * @throws {ProtocolError} `SIZE_PAST_END` / `TRAILING_BYTES` when the payload is not the size the head announced
 */
export function ownedFrame(head: OwnedHead, payload: Uint8Array): Frame {
  if (payload.byteLength > head.payloadBytes) throw new ProtocolError('TRAILING_BYTES', `an owned payload of ${payload.byteLength} bytes, ${head.payloadBytes} announced`);
  if (payload.byteLength < head.payloadBytes) throw new ProtocolError('SIZE_PAST_END', `an owned payload of ${payload.byteLength} bytes, ${head.payloadBytes} announced`);
  return { type: head.type as Frame['type'], id: head.id, seq: head.seq, bytes: payload };
}
