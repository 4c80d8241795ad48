/**
 * The fresh-streams frames (PROTOCOL.md §4.8, types 0x15–0x1A): credit for flow control, the
 * page's subscriptions and visibility, clock sync, and stream frames that carry a time. Pure.
 */
import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { encodeFrame, type EncodeFrameOptions, type Frame } from './frame.js';
import { readUint32LE, writeUint32LE } from './uint32.js';
import { readUtf8 } from './utf8.js';

/** Layout of a Timed frame's data: the meta header before the inner frame's data. */
export const TimedLayout = {
  INNER_TYPE_OFFSET: 0,
  FLAGS_OFFSET: 1,
  TIME_OFFSET: 8,
  SAMPLE_POSITION_OFFSET: 16,
  /** Bytes of the meta header: a multiple of 8, so the inner data stays aligned. */
  HEADER_BYTES: 24,
} as const;

/** Bits of a Timed frame's flags byte: which of the two values it carries. */
export const TimedFlag = {
  TIME: 0x01,
  SAMPLE_POSITION: 0x02,
} as const;

/** Payload types a Timed frame may wrap: the stream types. */
export const STREAM_TYPES: ReadonlySet<number> = /* @__PURE__ */ new Set([
  FrameType.Float32,
  FrameType.Bytes,
  FrameType.Int16,
  FrameType.Int32,
  FrameType.Float64,
]);

/** What a stream message may carry beside its data. */
export interface StreamMeta {
  /** The host's clock (ms, `performance.timeOrigin + performance.now()` of the host) the data belongs to. */
  time?: number;
  /** The position (in samples) of the data's first sample in the host's audio stream. */
  samplePosition?: number;
}

/** The page's subscription state, sent whole each time it changes (and after each reconnect). */
export interface SubscriptionState {
  /** True: every stream but `except`; false: only the ids in `ids`. */
  all: boolean;
  /** Frames per second cap of every stream in `all` mode (0: no cap). */
  rate: number;
  /** Ids subscribed one by one and their caps (0: no cap); in `all` mode they override `rate`. */
  ids: Record<string, number>;
  /** Ids left out in `all` mode. */
  except: string[];
}

/** The default state: every stream, no cap (today's behaviour). */
export const ALL_STREAMS: SubscriptionState = Object.freeze({ all: true, rate: 0, ids: Object.freeze({}), except: Object.freeze([]) as unknown as string[] });

/** A StreamAck frame: `consumed` bytes of stream frames handed to listeners since the connection opened (mod 2^32). */
export function encodeStreamAck(consumed: number): Uint8Array {
  return encodeFrame(FrameType.StreamAck, '', uint32s(consumed), { align: true });
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readStreamAck(frame: Frame): number {
  expectBytes(frame, 4, 'a stream ack');
  return readUint32LE(frame.bytes, 0);
}

/** A StreamsReady frame: the host's feature version and its stream window in bytes. */
export function encodeStreamsReady(version: number, windowBytes: number): Uint8Array {
  return encodeFrame(FrameType.StreamsReady, '', uint32s(version, windowBytes), { align: true });
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readStreamsReady(frame: Frame): { version: number; windowBytes: number } {
  expectBytes(frame, 8, 'a streams-ready frame');
  return { version: readUint32LE(frame.bytes, 0), windowBytes: readUint32LE(frame.bytes, 4) };
}

/** A StreamWindow frame: the host's stream window now, in bytes. */
export function encodeStreamWindow(windowBytes: number): Uint8Array {
  return encodeFrame(FrameType.StreamWindow, '', uint32s(windowBytes), { align: true });
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readStreamWindow(frame: Frame): number {
  expectBytes(frame, 4, 'a stream-window frame');
  return readUint32LE(frame.bytes, 0);
}

/** A Visibility frame. */
export function encodeVisibility(visible: boolean): Uint8Array {
  return encodeFrame(FrameType.Visibility, '', new Uint8Array([visible ? 1 : 0]), { align: true });
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` for anything but one byte 0 or 1 */
export function readVisibility(frame: Frame): boolean {
  expectBytes(frame, 1, 'a visibility frame');
  const value = frame.bytes[0]!;
  if (value > 1) throw new ProtocolError('INVALID_CONTROL_FRAME', `a visibility frame carries 0 or 1, not ${value}`);
  return value === 1;
}

/** A TimeSync frame: the page's question (`hostTime` absent) or the host's answer. */
export function encodeTimeSync(pageTime: number, hostTime?: number): Uint8Array {
  const data = new Uint8Array(hostTime === undefined ? 8 : 16);
  const view = new DataView(data.buffer);
  view.setFloat64(0, pageTime, true);
  if (hostTime !== undefined) view.setFloat64(8, hostTime, true);
  return encodeFrame(FrameType.TimeSync, '', data, { align: true });
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` for sizes other than 8 or 16 bytes, or values that are not finite */
export function readTimeSync(frame: Frame): { pageTime: number; hostTime: number | undefined } {
  const size = frame.bytes.byteLength;
  if (size !== 8 && size !== 16) throw new ProtocolError('INVALID_CONTROL_FRAME', `a time sync frame carries 8 or 16 bytes, not ${size}`);
  const view = new DataView(frame.bytes.buffer, frame.bytes.byteOffset, size);
  const pageTime = view.getFloat64(0, true);
  const hostTime = size === 16 ? view.getFloat64(8, true) : undefined;
  if (!Number.isFinite(pageTime) || (hostTime !== undefined && !Number.isFinite(hostTime))) {
    throw new ProtocolError('INVALID_CONTROL_FRAME', 'a time sync frame carries a value that is not a finite number');
  }
  return { pageTime, hostTime };
}

/** A Subscriptions frame: the whole state as JSON. */
export function encodeSubscriptions(state: SubscriptionState): Uint8Array {
  return encodeFrame(FrameType.Subscriptions, '', JSON.stringify(state), { align: true });
}

/**
 * Reads and checks a Subscriptions frame; at most `maxIds` ids in `ids` and in `except` each.
 * @throws {ProtocolError} `INVALID_CONTROL_FRAME`
 */
export function readSubscriptions(frame: Frame, maxIds: number): SubscriptionState {
  let value: unknown;
  try {
    value = JSON.parse(readUtf8(frame.bytes, 'subscriptions')) as unknown;
  } catch (error) {
    if (error instanceof ProtocolError) throw new ProtocolError('INVALID_CONTROL_FRAME', error.message);
    throw new ProtocolError('INVALID_CONTROL_FRAME', `subscriptions do not parse: ${(error as Error).message}`);
  }
  const bad = (why: string): never => {
    throw new ProtocolError('INVALID_CONTROL_FRAME', `subscriptions: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not an object');
  const { all, rate, ids, except } = value as Record<string, unknown>;
  if (typeof all !== 'boolean') bad('"all" is not a boolean');
  if (!isStreamRate(rate)) bad(`"rate" is not 0 or a number >= ${MIN_STREAM_RATE}`);
  if (typeof ids !== 'object' || ids === null || Array.isArray(ids)) return bad('"ids" is not an object');
  if (!Array.isArray(except) || !except.every((id) => typeof id === 'string')) return bad('"except" is not an array of strings');
  const entries = Object.entries(ids);
  if (entries.length > maxIds || except.length > maxIds) bad(`more than ${maxIds} ids`);
  const checked: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [id, idRate] of entries) {
    if (!isStreamRate(idRate)) bad(`the rate of '${id}' is not 0 or a number >= ${MIN_STREAM_RATE}`);
    checked[id] = idRate as number;
  }
  return { all: all as boolean, rate: rate as number, ids: checked, except: except as string[] };
}

/**
 * A stream frame that carries its time and/or sample position (type Timed, wrapping `type`).
 * @throws {ProtocolError} as {@link encodeFrame}; `INVALID_CONTROL_FRAME` when `type` is not a stream type
 */
export function encodeTimedFrame(type: number, id: string, data: Uint8Array, meta: StreamMeta, options: EncodeFrameOptions = {}): Uint8Array {
  if (!STREAM_TYPES.has(type)) throw new ProtocolError('INVALID_CONTROL_FRAME', `type 0x${type.toString(16)} is not a stream type`);
  const wrapped = new Uint8Array(TimedLayout.HEADER_BYTES + data.byteLength);
  const view = new DataView(wrapped.buffer);
  let flags = 0;
  if (meta.time !== undefined) {
    flags |= TimedFlag.TIME;
    view.setFloat64(TimedLayout.TIME_OFFSET, meta.time, true);
  }
  if (meta.samplePosition !== undefined) {
    flags |= TimedFlag.SAMPLE_POSITION;
    view.setFloat64(TimedLayout.SAMPLE_POSITION_OFFSET, meta.samplePosition, true);
  }
  wrapped[TimedLayout.INNER_TYPE_OFFSET] = type;
  wrapped[TimedLayout.FLAGS_OFFSET] = flags;
  wrapped.set(data, TimedLayout.HEADER_BYTES);
  return encodeFrame(FrameType.Timed, id, wrapped, { ...options, align: true });
}

/**
 * Unwraps a Timed frame: the inner frame (its data a view, still aligned) and its meta.
 * @throws {ProtocolError} `INVALID_CONTROL_FRAME`
 */
export function readTimedFrame(frame: Frame): { frame: Frame; meta: StreamMeta } {
  const { bytes } = frame;
  if (bytes.byteLength < TimedLayout.HEADER_BYTES) {
    throw new ProtocolError('INVALID_CONTROL_FRAME', `a timed frame needs ${TimedLayout.HEADER_BYTES} bytes of meta, got ${bytes.byteLength}`);
  }
  const type = bytes[TimedLayout.INNER_TYPE_OFFSET]!;
  if (!STREAM_TYPES.has(type)) throw new ProtocolError('INVALID_CONTROL_FRAME', `a timed frame cannot wrap type 0x${type.toString(16)}`);
  const flags = bytes[TimedLayout.FLAGS_OFFSET]!;
  if ((flags & ~(TimedFlag.TIME | TimedFlag.SAMPLE_POSITION)) !== 0) {
    throw new ProtocolError('INVALID_CONTROL_FRAME', `a timed frame has unknown flags 0x${flags.toString(16)}`);
  }
  for (let i = 2; i < TimedLayout.TIME_OFFSET; i++) {
    if (bytes[i] !== 0) throw new ProtocolError('INVALID_CONTROL_FRAME', 'a timed frame has a byte other than NUL in its padding');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, TimedLayout.HEADER_BYTES);
  const meta: StreamMeta = {};
  if (flags & TimedFlag.TIME) meta.time = view.getFloat64(TimedLayout.TIME_OFFSET, true);
  if (flags & TimedFlag.SAMPLE_POSITION) meta.samplePosition = view.getFloat64(TimedLayout.SAMPLE_POSITION_OFFSET, true);
  return { frame: { type: type as Frame['type'], id: frame.id, seq: frame.seq, bytes: bytes.subarray(TimedLayout.HEADER_BYTES) }, meta };
}

/** The smallest rate cap (frames per second) besides 0 (no cap): one frame per 100 s. */
export const MIN_STREAM_RATE = 0.01;

/** A subscription's rate cap: 0 (none), or a finite number of frames per second from {@link MIN_STREAM_RATE}. */
export function isStreamRate(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && (value === 0 || value >= MIN_STREAM_RATE);
}

function expectBytes(frame: Frame, size: number, what: string): void {
  if (frame.bytes.byteLength !== size) throw new ProtocolError('INVALID_CONTROL_FRAME', `${what} carries exactly ${size} bytes, not ${frame.bytes.byteLength}`);
}

function uint32s(...values: number[]): Uint8Array {
  const data = new Uint8Array(values.length * 4);
  values.forEach((value, i) => writeUint32LE(data, i * 4, value >>> 0));
  return data;
}
