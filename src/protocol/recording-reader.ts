/**
 * Reading recordings (PROTOCOL.md §7): the file header, then records as their bytes arrive
 * ({@link RecordingReader}) or all at once ({@link readRecording}). Every field is checked. Pure.
 */
import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { decodeFrame, readPayload, type Frame } from './frame.js';
import type { ParameterSpec, ParameterValue } from './parameter-spec.js';
import { readTimedFrame, STREAM_TYPES, TimedFlag, TimedLayout, type StreamMeta } from './stream-meta.js';
import { readUint32LE } from './uint32.js';
import { DEFAULT_MAX_RECORD_BYTES, RECORDING_MAGIC, RECORDING_VERSION, RecordFlag, RecordingLayout, RecordKind, type RecordedCallKind, type RecordedEvent } from './recording-format.js';

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
