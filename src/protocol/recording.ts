/**
 * The recording file format (PROTOCOL.md §7): what crossed a host's bridge, record by record, with
 * timing. Pure: encodes and decodes bytes (encoding here, reading in recording-reader.ts, the numbers
 * and record types in recording-format.ts); writing and reading files is the host's (src/host/recorder.ts).
 *
 * A file is a 16-byte header and then records, each a 22-byte record header followed by one frame
 * in the extension's encoding (§4, unaligned, no sequence field), which keeps the id and the payload
 * type. Records are appended as they happen, so a file cut short (a crash mid-write) reads up to
 * its last whole record.
 */
import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { encodeFrame, encodeValue, toJson, valueToWire } from './frame.js';
import { STREAM_TYPES, TimedFlag, TimedLayout, type StreamMeta } from './stream-meta.js';
import { writeUint32LE } from './uint32.js';
import { RECORDING_MAGIC, RECORDING_VERSION, RecordFlag, RecordingLayout, RecordKind, type RecordedEvent } from './recording-format.js';

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


function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
