/**
 * The recording file format's numbers and record types (PROTOCOL.md §7), shared by the encoder
 * (recording.ts) and the reader (recording-reader.ts). Pure.
 */
import type { ParameterSource } from './parameter-messages.js';
import type { ParameterSpec, ParameterValue } from './parameter-spec.js';
import type { StreamMeta } from './stream-meta.js';

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
  /** Send: sent with HISE's `sendToWebSocket` (objects travel as JSON text), not `send`. */
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
