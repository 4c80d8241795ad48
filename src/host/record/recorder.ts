import { closeSync, constants, fstatSync, openSync, writeSync, writevSync } from 'node:fs';
import { encodeRecord, encodeRecordingHeader, RecordingLayout, type RecordedEvent } from '../../protocol/index.js';
import { WebViewError } from '../errors.js';
import { now, type Observation } from '../observer.js';
import type { Parameter } from '../parameters/parameter.js';
import type { WebView } from '../web-view.js';

/** Default of {@link RecordOptions.maxBytes}: 256 MiB, about 3 minutes of the demo (its four 60 Hz streams, one of 4096 floats, record at 1.4 MiB/s). */
export const DEFAULT_MAX_RECORDING_BYTES = 256 * 1024 * 1024;
/** Bytes gathered before they are written at once, rather than at the end of the event loop turn. */
const FLUSH_BYTES = 1024 * 1024;

/** Why a recording stopped. */
export type RecordingStopReason = 'stopped' | 'limit' | 'error';

/** What a recording wrote, when it stopped. */
export interface RecordingSummary {
  readonly file: string;
  readonly reason: RecordingStopReason;
  /** Bytes of the file, header included. */
  readonly bytes: number;
  readonly records: number;
  /** Milliseconds from the first to the last record. */
  readonly duration: number;
  /** For `limit` and `error`: a `WebViewError` `RECORDING_FULL` or `RECORDING_FAILED` saying what happened. */
  readonly error: WebViewError | undefined;
}

/** Options of {@link record}. */
export interface RecordOptions {
  /**
   * Largest file, in bytes, header included. The record that would pass it is not written: the
   * recording stops there (reason `limit`) and the file stays a valid recording.
   * @default 256 MiB ({@link DEFAULT_MAX_RECORDING_BYTES})
   */
  maxBytes?: number;
  /** Called once when the recording stops, for whatever reason. */
  onStop?: (summary: RecordingSummary) => void;
}

/** A recording in progress. */
export interface Recording {
  /** Stops recording, writes what is gathered and closes the file. Safe to call again. */
  stop(): RecordingSummary;
  /** Resolves when the recording stops (by `stop`, the size limit, or a write failure). */
  readonly done: Promise<RecordingSummary>;
  /** Bytes written or gathered so far, header included. */
  readonly bytes: number;
  readonly records: number;
}

/** Create or truncate, write only; no symbolic link followed; a FIFO without a reader is an error, not a wait. */
const RECORD_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Records what crosses `wv`'s bridge to `file` (replaced if it exists; a symbolic link is not followed
 * and anything but a regular file is refused) in the recording format
 * (PROTOCOL.md §7): messages both ways, calls with their results or errors, pages coming and going,
 * with their times. Records are written as they happen (gathered within one event loop turn, and
 * at most 1 MiB), so the file can be read while it grows and keeps every whole record if the
 * process dies. Records through `wv.observe` only.
 * @throws {WebViewError} `INVALID_OPTION` (a `maxBytes` that is not an integer of at least 16),
 *   `RECORDING_FAILED` (the file cannot be opened)
 */
export function record(wv: WebView<any>, file: string, options: RecordOptions = {}): Recording {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RECORDING_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < RecordingLayout.FILE_HEADER_BYTES) {
    throw new WebViewError('INVALID_OPTION', `maxBytes must be an integer of at least ${RecordingLayout.FILE_HEADER_BYTES}, got ${String(maxBytes)}`);
  }
  const start = now();
  let fd: number;
  try {
    // Not through a symbolic link, never blocking on a FIFO without a reader; only a regular file is written.
    fd = openSync(file, RECORD_FLAGS, 0o666);
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new Error('it is not a regular file');
    }
    writeSync(fd, encodeRecordingHeader(start));
  } catch (error) {
    throw new WebViewError('RECORDING_FAILED', `cannot write the recording ${file}: ${(error as Error).message}`, { cause: error });
  }
  return new FileRecorder(wv, file, fd, start, maxBytes, options.onStop).handle();
}

class FileRecorder {
  readonly #file: string;
  readonly #fd: number;
  readonly #start: number;
  readonly #maxBytes: number;
  readonly #onStop: ((summary: RecordingSummary) => void) | undefined;
  readonly #unobserve: () => void;
  readonly #done: Promise<RecordingSummary>;
  #resolveDone!: (summary: RecordingSummary) => void;
  #gathered: Uint8Array[] = [];
  #gatheredBytes = 0;
  #flushScheduled: ReturnType<typeof setImmediate> | undefined;
  #bytes: number = RecordingLayout.FILE_HEADER_BYTES;
  #records = 0;
  #lastTime = 0;
  #firstTime: number | undefined;
  #summary: RecordingSummary | undefined;

  constructor(wv: WebView<any>, file: string, fd: number, start: number, maxBytes: number, onStop: ((summary: RecordingSummary) => void) | undefined) {
    this.#file = file;
    this.#fd = fd;
    this.#start = start;
    this.#maxBytes = maxBytes;
    this.#onStop = onStop;
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    // Parameters declared before recording started, then each one as it is declared (`wv.on('parameter')`).
    for (const parameter of wv.parameters.values()) this.#declared(parameter);
    // Retained ids' latest values as of now, so that a replay starts from the state the pages had.
    for (const [id, data] of wv.retainedValues) {
      if (data !== undefined) this.#write({ kind: 'send', time: 0, page: 0, id, data, retained: true, hise: false });
    }
    const onDeclared = (parameter: Parameter): void => this.#declared(parameter);
    wv.on('parameter', onDeclared);
    const unobserve = wv.observe((observation) => this.#observe(observation));
    this.#unobserve = () => {
      unobserve();
      wv.off('parameter', onDeclared);
    };
  }

  #declared(parameter: Parameter): void {
    if (this.#summary !== undefined) return;
    this.#write({ kind: 'parameter', time: Math.max(0, now() - this.#start), id: parameter.id, spec: parameter.spec, value: parameter.value });
  }

  handle(): Recording {
    const recorder = this;
    return {
      stop: () => this.#finish('stopped', undefined),
      done: this.#done,
      get bytes() {
        return recorder.#bytes;
      },
      get records() {
        return recorder.#records;
      },
    };
  }

  #observe(observation: Observation): void {
    if (this.#summary !== undefined) return;
    const event = toRecordedEvent(observation, this.#start);
    if (event !== undefined) this.#write(event);
  }

  #write(event: RecordedEvent): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeRecord(event);
    } catch {
      return; // a value no record can carry (the host refused it too): nothing crossed the bridge
    }
    if (this.#bytes + bytes.byteLength > this.#maxBytes) {
      const message = `the recording ${this.#file} reached its size limit of ${this.#maxBytes} bytes (maxBytes) after ${this.#records} records: recording stopped`;
      this.#finish('limit', new WebViewError('RECORDING_FULL', message));
      return;
    }
    this.#gathered.push(bytes);
    this.#gatheredBytes += bytes.byteLength;
    this.#bytes += bytes.byteLength;
    this.#records++;
    this.#firstTime ??= event.time;
    this.#lastTime = event.time;
    if (this.#gatheredBytes >= FLUSH_BYTES) this.#flush();
    else this.#flushScheduled ??= setImmediate(() => this.#flush());
  }

  #flush(): void {
    clearImmediate(this.#flushScheduled);
    this.#flushScheduled = undefined;
    if (this.#gathered.length === 0) return;
    const chunks = this.#gathered;
    this.#gathered = [];
    this.#gatheredBytes = 0;
    try {
      writevSync(this.#fd, chunks);
    } catch (error) {
      this.#finish('error', new WebViewError('RECORDING_FAILED', `writing the recording ${this.#file} failed: ${(error as Error).message}`, { cause: error }));
    }
  }

  #finish(reason: RecordingStopReason, error: WebViewError | undefined): RecordingSummary {
    if (this.#summary !== undefined) return this.#summary;
    this.#unobserve();
    const summary: RecordingSummary = {
      file: this.#file,
      reason,
      bytes: this.#bytes,
      records: this.#records,
      duration: this.#lastTime - (this.#firstTime ?? this.#lastTime),
      error,
    };
    this.#summary = summary;
    if (reason !== 'error') this.#flush();
    try {
      closeSync(this.#fd);
    } catch {
      // already closed or gone: nothing more can be written either way
    }
    this.#onStop?.(summary);
    this.#resolveDone(summary);
    return summary;
  }
}

/** The record of an observation, or `undefined` for one not recorded. Times are relative to `start`. */
function toRecordedEvent(o: Observation, start: number): RecordedEvent | undefined {
  const time = Math.max(0, o.time - start);
  switch (o.type) {
    case 'send':
      return { kind: 'send', time, page: o.page?.id ?? 0, id: o.id, data: o.data, retained: o.retained, hise: o.via === 'sendToWebsocket', ...(o.meta === undefined ? {} : { meta: o.meta }) };
    case 'receive':
      return { kind: 'receive', time, page: o.page.id, id: o.id, data: o.data };
    case 'call':
      return { kind: 'call', time, page: o.page.id, call: o.call, direction: o.direction, callKind: o.kind, name: o.name, args: [...o.args] };
    case 'settle':
      return o.ok
        ? { kind: 'settle', time, call: o.call, duration: o.duration, ok: true, value: o.value }
        : { kind: 'settle', time, call: o.call, duration: o.duration, ok: false, error: o.error! };
    case 'connect':
      return { kind: 'connect', time, page: o.page.id };
    case 'disconnect':
      return { kind: 'disconnect', time, page: o.page.id, code: o.code, reason: o.reason };
    case 'error':
      return { kind: 'error', time, page: o.page?.id ?? 0, code: o.error.code, message: o.error.message };
    case 'parameter':
      return { kind: 'change', time, page: o.page?.id ?? 0, id: o.id, value: o.value, source: o.source, inGesture: o.inGesture, text: o.text };
    case 'gesture':
      return undefined; // a replay plays the values; the gestures were the recorded pages'
  }
}
