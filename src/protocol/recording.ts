/**
 * The recording file format (PROTOCOL.md §7): what crossed a host's bridge, record by record, with
 * timing. Pure: encodes and decodes bytes; writing and reading files is the host's (src/host/recorder.ts).
 *
 * A file is a 16-byte header and then records, each a 22-byte record header followed by one frame
 * in the extension's encoding (§4, unaligned, no sequence field), which keeps the id and the payload
 * type. Records are appended as they happen, so a file cut short (a crash mid-write) reads up to
 * its last whole record.
 */
import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { decodeFrame, encodeFrame, encodeValue, readPayload, toJson, valueToWire, type Frame } from './frame.js';
import type { ParameterSource } from './parameter-messages.js';
import type { ParameterSpec, ParameterValue } from './parameter-spec.js';
import { readTimedFrame, STREAM_TYPES, TimedFlag, TimedLayout, type StreamMeta } from './stream-meta.js';
import { readUint32LE, writeUint32LE } from './uint32.js';

/** The file's first bytes: ASCII `HWVREC`. */
export const RECORDING_MAGIC: readonly number[] = [0x48, 0x57, 0x56, 0x52, 0x45, 0x43];
/** The format version this codec writes and reads (uint16 LE after the magic). */
export const RECORDING_VERSION = 1;

/** Offsets and sizes of the file header and of every record header. */
export const RecordingLayout = {
  /** Offset of the uint16 LE version in the file header. */
  VERSION_OFFSET: 6,
  /** Offset of the float64 LE start time (milliseconds on the Unix epoch) in the file header. */
  START_OFFSET: 8,
  /** Bytes of the file header. */
  FILE_HEADER_BYTES: 16,
  /** Record header: kind (1), size (4), time (8), page (4), flags (1), number (4). */
  RECORD_HEADER_BYTES: 22,
  SIZE_OFFSET: 1,
  TIME_OFFSET: 5,
  PAGE_OFFSET: 13,
  FLAGS_OFFSET: 17,
  NUMBER_OFFSET: 18,
} as const;

/** What a record is (the byte at offset 0 of its header). */
export const RecordKind = {
  /** The host sent a message (frame: the message's id and payload). */
  Send: 0x01,
  /** A page sent a message. */
  Receive: 0x02,
  /** A call started (frame: JSON `{"k": kind, "a": args}` under the function's name; number: call number). */
  Call: 0x03,
  /** A call finished (frame: JSON `{"d": ms, "v": value}` or `{"d": ms, "e": {name, message, code}}`; number: call number). */
  Settle: 0x04,
  /** A page connected (frame: empty string). */
  Connect: 0x05,
  /** A page went (frame: the close reason as a string; number: the close code). */
  Disconnect: 0x06,
  /** The host reported an error (frame: the message as a string under the error's code). */
  Error: 0x07,
  /** A parameter is declared (frame: JSON `{"spec": spec, "v": value}` under its id): at the start for those declared before, then as declared. */
  Parameter: 0x08,
  /** A parameter's value changed (frame: JSON `{"v": value, "s": source, "g": inGesture, "t": text}` under its id; page: the page that changed it, else 0). */
  Change: 0x09,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Bits of a record's flags byte. */
export const RecordFlag = {
  /** Send: the id is retained (its latest value goes to every page that connects). */
  Retained: 0x01,
  /** Send: sent with HISE's `sendToWebsocket` (objects travel as JSON text), not `send`. */
  Hise: 0x02,
  /** Receive: the page spoke HISE's format, whose messages have no id (the frame's id is empty). */
  NoId: 0x04,
  /** Call: the host called the page (otherwise the page called the host). */
  HostToPage: 0x08,
  /** Settle: the call succeeded. */
  Ok: 0x10,
} as const;

/** Default of {@link ReadRecordingOptions.maxRecordBytes}: 64 MiB, above any frame a host sends in practice. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** What a call was (the observer's `ObservedCallKind`). */
export type RecordedCallKind = 'call' | 'bindCallback' | 'callFunction' | 'evaluate' | 'bridge';

/** A call's failure as recorded. */
export interface RecordedError {
  name: string;
  message: string;
  code: string | undefined;
}

/** One record, decoded. `time` is milliseconds since the recording started; `page` is the host's page id, 0 for none (a broadcast). */
export type RecordedEvent =
  | {
      kind: 'send';
      time: number;
      page: number;
      id: string;
      data: unknown;
      retained: boolean;
      hise: boolean;
      /** A stream's `time` and `samplePosition` (`send`'s options); its frame is then a Timed frame (§4.8, 0x19) wrapping the data. */
      meta?: StreamMeta;
    }
  | { kind: 'receive'; time: number; page: number; id: string | undefined; data: unknown }
  | { kind: 'call'; time: number; page: number; call: number; direction: 'host-to-page' | 'page-to-host'; callKind: RecordedCallKind; name: string; args: unknown[] }
  | { kind: 'settle'; time: number; call: number; duration: number; ok: boolean; value?: unknown; error?: RecordedError }
  | { kind: 'connect'; time: number; page: number }
  | { kind: 'disconnect'; time: number; page: number; code: number; reason: string }
  | { kind: 'error'; time: number; page: number; code: string; message: string }
  | { kind: 'parameter'; time: number; id: string; spec: ParameterSpec; value: ParameterValue }
  | { kind: 'change'; time: number; page: number; id: string; value: ParameterValue; source: ParameterSource; inGesture: boolean; text: string };

/** The file header: the recording's start, milliseconds on the Unix epoch. */
export function encodeRecordingHeader(startTime: number): Uint8Array {
  const bytes = new Uint8Array(RecordingLayout.FILE_HEADER_BYTES);
  bytes.set(RECORDING_MAGIC, 0);
  bytes[RecordingLayout.VERSION_OFFSET] = RECORDING_VERSION & 0xff;
  bytes[RecordingLayout.VERSION_OFFSET + 1] = RECORDING_VERSION >>> 8;
  new DataView(bytes.buffer).setFloat64(RecordingLayout.START_OFFSET, startTime, true);
  return bytes;
}

/**
 * Reads the file header.
 * @throws {ProtocolError} `RECORDING_TRUNCATED` (fewer than 16 bytes), `NOT_A_RECORDING` (other magic),
 *   `UNSUPPORTED_RECORDING_VERSION`
 */
export function readRecordingHeader(bytes: Uint8Array): { version: number; startTime: number } {
  if (bytes.byteLength < RecordingLayout.FILE_HEADER_BYTES) {
    const magicSoFar = RECORDING_MAGIC.slice(0, bytes.byteLength).every((byte, i) => bytes[i] === byte);
    if (!magicSoFar) throw new ProtocolError('NOT_A_RECORDING', 'the file does not start with HWVREC: it is not a recording');
    throw new ProtocolError('RECORDING_TRUNCATED', `${bytes.byteLength} bytes is shorter than the ${RecordingLayout.FILE_HEADER_BYTES}-byte recording header`);
  }
  if (!RECORDING_MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new ProtocolError('NOT_A_RECORDING', 'the file does not start with HWVREC: it is not a recording');
  }
  const version = bytes[RecordingLayout.VERSION_OFFSET]! | (bytes[RecordingLayout.VERSION_OFFSET + 1]! << 8);
  if (version !== RECORDING_VERSION) {
    throw new ProtocolError('UNSUPPORTED_RECORDING_VERSION', `recording format version ${version}; this version reads ${RECORDING_VERSION}`);
  }
  const startTime = view(bytes).getFloat64(RecordingLayout.START_OFFSET, true);
  return { version, startTime };
}

/**
 * Encodes one record. Values are copied into the record, so the caller may reuse its buffers.
 * @throws {ProtocolError} as {@link encodeValue} (`UNSERIALIZABLE`, `ID_TOO_LONG` …)
 */
export function encodeRecord(event: RecordedEvent): Uint8Array {
  const { frame, flags, number, page } = recordParts(event);
  const bytes = new Uint8Array(RecordingLayout.RECORD_HEADER_BYTES + frame.byteLength);
  bytes[0] = KIND_CODES[event.kind];
  writeUint32LE(bytes, RecordingLayout.SIZE_OFFSET, frame.byteLength);
  view(bytes).setFloat64(RecordingLayout.TIME_OFFSET, event.time, true);
  writeUint32LE(bytes, RecordingLayout.PAGE_OFFSET, page >>> 0);
  bytes[RecordingLayout.FLAGS_OFFSET] = flags;
  writeUint32LE(bytes, RecordingLayout.NUMBER_OFFSET, number >>> 0);
  bytes.set(frame, RecordingLayout.RECORD_HEADER_BYTES);
  return bytes;
}

function recordParts(event: RecordedEvent): { frame: Uint8Array; flags: number; number: number; page: number } {
  switch (event.kind) {
    case 'send': {
      const flags = (event.retained ? RecordFlag.Retained : 0) | (event.hise ? RecordFlag.Hise : 0);
      const frame = hasMeta(event.meta) ? encodeTimedRecordFrame(event.id, event.data, event.meta) : encodeValue(event.id, event.data);
      return { frame, flags, number: 0, page: event.page };
    }
    case 'receive':
      return { frame: encodeValue(event.id ?? '', event.data), flags: event.id === undefined ? RecordFlag.NoId : 0, number: 0, page: event.page };
    case 'call': {
      const frame = encodeFrame(FrameType.Json, event.name, toJson({ k: event.callKind, a: event.args }));
      return { frame, flags: event.direction === 'host-to-page' ? RecordFlag.HostToPage : 0, number: event.call, page: event.page };
    }
    case 'settle': {
      const body = event.ok ? { d: event.duration, v: event.value } : { d: event.duration, e: event.error };
      return { frame: encodeFrame(FrameType.Json, '', toJson(body)), flags: event.ok ? RecordFlag.Ok : 0, number: event.call, page: 0 };
    }
    case 'connect':
      return { frame: encodeFrame(FrameType.String, '', ''), flags: 0, number: 0, page: event.page };
    case 'disconnect':
      return { frame: encodeFrame(FrameType.String, '', event.reason), flags: 0, number: event.code, page: event.page };
    case 'error':
      return { frame: encodeFrame(FrameType.String, event.code, event.message), flags: 0, number: 0, page: event.page };
    case 'parameter':
      return { frame: encodeFrame(FrameType.Json, event.id, toJson({ spec: event.spec, v: event.value })), flags: 0, number: 0, page: 0 };
    case 'change': {
      const body = { v: event.value, s: event.source, g: event.inGesture, t: event.text };
      return { frame: encodeFrame(FrameType.Json, event.id, toJson(body)), flags: 0, number: 0, page: event.page };
    }
  }
}

function hasMeta(meta: StreamMeta | undefined): meta is StreamMeta {
  return meta !== undefined && (meta.time !== undefined || meta.samplePosition !== undefined);
}

/**
 * A send with stream meta: §4.8's Timed frame (type 0x19: inner type, flags, time, sample position,
 * then the data), unaligned like every record frame.
 * @throws {ProtocolError} `INVALID_CONTROL_FRAME` for meta on data that is not a stream
 */
function encodeTimedRecordFrame(id: string, data: unknown, meta: StreamMeta): Uint8Array {
  const [type, wire] = valueToWire(data);
  if (!STREAM_TYPES.has(type) || typeof wire === 'string') throw new ProtocolError('INVALID_CONTROL_FRAME', 'time and samplePosition go with stream data only');
  const wrapped = new Uint8Array(TimedLayout.HEADER_BYTES + wire.byteLength);
  const fields = new DataView(wrapped.buffer);
  let flags = 0;
  if (meta.time !== undefined) {
    flags |= TimedFlag.TIME;
    fields.setFloat64(TimedLayout.TIME_OFFSET, meta.time, true);
  }
  if (meta.samplePosition !== undefined) {
    flags |= TimedFlag.SAMPLE_POSITION;
    fields.setFloat64(TimedLayout.SAMPLE_POSITION_OFFSET, meta.samplePosition, true);
  }
  wrapped[TimedLayout.INNER_TYPE_OFFSET] = type;
  wrapped[TimedLayout.FLAGS_OFFSET] = flags;
  wrapped.set(wire, TimedLayout.HEADER_BYTES);
  return encodeFrame(FrameType.Timed, id, wrapped);
}

const KIND_CODES: Readonly<Record<RecordedEvent['kind'], RecordKind>> = {
  send: RecordKind.Send,
  receive: RecordKind.Receive,
  call: RecordKind.Call,
  settle: RecordKind.Settle,
  connect: RecordKind.Connect,
  disconnect: RecordKind.Disconnect,
  error: RecordKind.Error,
  parameter: RecordKind.Parameter,
  change: RecordKind.Change,
};

/** Options of {@link readRecording} and {@link RecordingReader}. */
export interface ReadRecordingOptions {
  /** Largest record accepted, checked from its header before its bytes are gathered. @default 64 MiB ({@link DEFAULT_MAX_RECORD_BYTES}) */
  maxRecordBytes?: number;
}

/**
 * Decodes records as their bytes arrive (a file being written, read as it grows). Keeps at most one
 * partial record between calls.
 */
export class RecordingReader {
  readonly #maxRecordBytes: number;
  #pending: Uint8Array = new Uint8Array(0);
  #header: { version: number; startTime: number } | undefined;
  #offset = 0;

  constructor(options: ReadRecordingOptions = {}) {
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** The file header, once its 16 bytes have arrived. */
  get header(): { version: number; startTime: number } | undefined {
    return this.#header;
  }

  /** Bytes received that do not yet make a whole record. */
  get pendingBytes(): number {
    return this.#pending.byteLength;
  }

  /**
   * Adds bytes and returns the records they complete.
   * @throws {ProtocolError} `NOT_A_RECORDING`, `UNSUPPORTED_RECORDING_VERSION`, `RECORD_TOO_LARGE`,
   *   `INVALID_RECORD`; the reader is unusable afterwards
   */
  push(chunk: Uint8Array): RecordedEvent[] {
    const bytes = this.#pending.byteLength === 0 ? chunk : concat(this.#pending, chunk);
    const events: RecordedEvent[] = [];
    let offset = 0;
    if (this.#header === undefined) {
      if (bytes.byteLength < RecordingLayout.FILE_HEADER_BYTES) {
        if (!RECORDING_MAGIC.slice(0, bytes.byteLength).every((byte, i) => bytes[i] === byte)) readRecordingHeader(bytes);
        this.#pending = bytes.slice();
        return events;
      }
      this.#header = readRecordingHeader(bytes);
      offset = RecordingLayout.FILE_HEADER_BYTES;
    }
    while (bytes.byteLength - offset >= RecordingLayout.RECORD_HEADER_BYTES) {
      const size = readUint32LE(bytes, offset + RecordingLayout.SIZE_OFFSET);
      if (size > this.#maxRecordBytes) {
        throw new ProtocolError('RECORD_TOO_LARGE', `the record at byte ${this.#offset + offset} announces ${size} bytes, over maxRecordBytes ${this.#maxRecordBytes}`);
      }
      const end = offset + RecordingLayout.RECORD_HEADER_BYTES + size;
      if (end > bytes.byteLength) break;
      events.push(decodeRecord(bytes.subarray(offset, end), this.#offset + offset));
      offset = end;
    }
    this.#offset += offset;
    this.#pending = bytes.slice(offset);
    return events;
  }
}

/** A whole recording, decoded. */
export interface DecodedRecording {
  version: number;
  /** Milliseconds on the Unix epoch when recording started. */
  startTime: number;
  events: RecordedEvent[];
  /** Bytes after the last whole record: 0 for a file closed properly, more for one cut short. */
  truncatedBytes: number;
}

/**
 * Decodes a whole recording. A file cut short mid-record yields its whole records and the count of
 * bytes left over; `allowTruncated: false` refuses it instead.
 * @throws {ProtocolError} `NOT_A_RECORDING`, `UNSUPPORTED_RECORDING_VERSION`, `RECORD_TOO_LARGE`,
 *   `INVALID_RECORD`, `RECORDING_TRUNCATED` (the header is incomplete, or a record is and `allowTruncated` is false)
 */
export function readRecording(bytes: Uint8Array, options: ReadRecordingOptions & { allowTruncated?: boolean } = {}): DecodedRecording {
  const { version, startTime } = readRecordingHeader(bytes);
  const reader = new RecordingReader(options);
  const events = reader.push(bytes);
  const truncatedBytes = reader.pendingBytes;
  if (truncatedBytes > 0 && options.allowTruncated === false) {
    throw new ProtocolError('RECORDING_TRUNCATED', `the recording ends ${truncatedBytes} bytes into an incomplete record`);
  }
  return { version, startTime, events, truncatedBytes };
}

/** Decodes one whole record (`bytes` is exactly its header and frame). */
function decodeRecord(bytes: Uint8Array, at: number): RecordedEvent {
  const kind = bytes[0]!;
  const time = view(bytes).getFloat64(RecordingLayout.TIME_OFFSET, true);
  const page = readUint32LE(bytes, RecordingLayout.PAGE_OFFSET);
  const flags = bytes[RecordingLayout.FLAGS_OFFSET]!;
  const number = readUint32LE(bytes, RecordingLayout.NUMBER_OFFSET);
  const invalid = (why: string): ProtocolError => new ProtocolError('INVALID_RECORD', `the record at byte ${at}: ${why}`);
  if (!Number.isFinite(time) || time < 0) throw invalid(`time ${time} is not a finite, non-negative number`);
  let frame: Frame;
  let value: unknown;
  let meta: StreamMeta | undefined;
  try {
    frame = decodeFrame(bytes.subarray(RecordingLayout.RECORD_HEADER_BYTES));
    if (kind === RecordKind.Send && frame.type === FrameType.Timed) {
      const timed = readTimedFrame(frame);
      meta = timed.meta;
      value = readPayload(timed.frame, { exact: true });
    } else {
      value = readPayload(frame, { exact: true });
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw invalid(`its frame is invalid (${error.code}: ${error.message})`);
    throw error;
  }
  switch (kind) {
    case RecordKind.Send:
      return {
        kind: 'send',
        time,
        page,
        id: frame.id,
        data: value,
        retained: (flags & RecordFlag.Retained) !== 0,
        hise: (flags & RecordFlag.Hise) !== 0,
        ...(meta === undefined ? {} : { meta }),
      };
    case RecordKind.Receive:
      return { kind: 'receive', time, page, id: (flags & RecordFlag.NoId) !== 0 ? undefined : frame.id, data: value };
    case RecordKind.Call: {
      const body = value as { k?: unknown; a?: unknown } | null;
      if (frame.type !== FrameType.Json || typeof body?.k !== 'string' || !CALL_KINDS.has(body.k) || !Array.isArray(body.a)) {
        throw invalid('a call record needs JSON {"k": kind, "a": [args]}');
      }
      const direction = (flags & RecordFlag.HostToPage) !== 0 ? 'host-to-page' : 'page-to-host';
      return { kind: 'call', time, page, call: number, direction, callKind: body.k as RecordedCallKind, name: frame.id, args: body.a };
    }
    case RecordKind.Settle:
      return decodeSettle(frame, value, time, number, (flags & RecordFlag.Ok) !== 0, invalid);
    case RecordKind.Connect:
      return { kind: 'connect', time, page };
    case RecordKind.Disconnect:
      if (typeof value !== 'string') throw invalid('a disconnect record needs its reason as a string');
      return { kind: 'disconnect', time, page, code: number, reason: value };
    case RecordKind.Error:
      if (typeof value !== 'string') throw invalid('an error record needs its message as a string');
      return { kind: 'error', time, page, code: frame.id, message: value };
    case RecordKind.Parameter: {
      const body = value as { spec?: unknown; v?: unknown } | null;
      if (frame.type !== FrameType.Json || typeof body?.spec !== 'object' || body.spec === null || !isParameterValue(body.v)) {
        throw invalid('a parameter record needs JSON {"spec": spec, "v": value}');
      }
      return { kind: 'parameter', time, id: frame.id, spec: body.spec as ParameterSpec, value: body.v };
    }
    case RecordKind.Change: {
      const body = value as { v?: unknown; s?: unknown; g?: unknown; t?: unknown } | null;
      if (frame.type !== FrameType.Json || !isParameterValue(body?.v) || (body.s !== 'host' && body.s !== 'page') || typeof body.g !== 'boolean' || typeof body.t !== 'string') {
        throw invalid('a change record needs JSON {"v": value, "s": "host" or "page", "g": boolean, "t": text}');
      }
      return { kind: 'change', time, page, id: frame.id, value: body.v, source: body.s, inGesture: body.g, text: body.t };
    }
    default:
      throw invalid(`unknown record kind 0x${kind.toString(16).padStart(2, '0')}`);
  }
}

function decodeSettle(frame: Frame, value: unknown, time: number, call: number, ok: boolean, invalid: (why: string) => ProtocolError): RecordedEvent {
  const body = value as { d?: unknown; v?: unknown; e?: unknown } | null;
  if (frame.type !== FrameType.Json || typeof body !== 'object' || body === null || typeof body.d !== 'number') {
    throw invalid('a settle record needs JSON {"d": duration, "v" or "e"}');
  }
  if (ok) return { kind: 'settle', time, call, duration: body.d, ok, value: body.v };
  const error = body.e as { name?: unknown; message?: unknown; code?: unknown } | null | undefined;
  if (typeof error?.name !== 'string' || typeof error.message !== 'string' || (error.code !== undefined && error.code !== null && typeof error.code !== 'string')) {
    throw invalid('a failed settle record needs "e": {name, message, code}');
  }
  const code = typeof error.code === 'string' ? error.code : undefined;
  return { kind: 'settle', time, call, duration: body.d, ok, error: { name: error.name, message: error.message, code } };
}

function isParameterValue(value: unknown): value is ParameterValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const CALL_KINDS: ReadonlySet<string> = /* @__PURE__ */ new Set(['call', 'bindCallback', 'callFunction', 'evaluate', 'bridge']);

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}
