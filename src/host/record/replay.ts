import { performance } from 'node:perf_hooks';
import {
  CallError,
  defaultText,
  readRecording,
  type DecodedRecording,
  type ParameterSpec,
  type ParameterSpecInput,
  type ParameterValue,
  type ReadRecordingOptions,
  type RecordedEvent,
} from '../../protocol/index.js';
import { hostTime } from '../delivery/host-clock.js';
import { WebViewError } from '../errors.js';
import type { WebView } from '../web-view.js';
import { readRegularFile } from '../regular-file.js';

/**
 * Default of `readRecordingFile`'s `maxFileBytes`: 256 MiB, a recording at `record`'s default limit.
 * Decoding holds about 4× a file's size in memory, so 1 GiB files could exhaust a default V8 heap.
 */
export const DEFAULT_MAX_REPLAY_FILE_BYTES = 256 * 1024 * 1024;

/** The longest delay `setTimeout` takes (a longer one fires at once): a recording's far-off time waits in steps of this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The shortest loop a replay plays: a recording of one instant repeats ten times a second, not in a busy loop. */
export const MIN_LOOP_MS = 100;

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Plays the recording again from its start when it ends. @default true */
  loop?: boolean;
  /** Called when a recorded message cannot be sent again (e.g. the host refuses its id). */
  onError?: (error: unknown) => void;
  /** Answers pages' calls from the recording (see {@link answerFromRecording}). @default true */
  answer?: boolean;
}

/** A replay in progress. */
export interface Replay {
  /** Stops playing. Registered answers stay until the WebView closes or is `reset`. */
  stop(): void;
  /** How many times playback has reached the recording's end. */
  readonly loops: number;
  /** The names answered from the recording: `call` handlers and bound callbacks. */
  readonly answers: { readonly calls: readonly string[]; readonly boundCallbacks: readonly string[] };
}

type Send = Extract<RecordedEvent, { kind: 'send' }>;
type Change = Extract<RecordedEvent, { kind: 'change' }>;
type Declared = Extract<RecordedEvent, { kind: 'parameter' }>;
type Outcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string; code: string | undefined } };

/**
 * Plays a recording to `wv`'s pages in real time: every message the host sent, at its time, with
 * its id and type (`sendToWebSocket` messages as such, the rest with `send`; a message sent to one
 * page goes to every page), looping; ids recorded as retained are retained, so a page that connects
 * gets their latest value. Calls pages make to the host (`call`s and bound callbacks) are answered
 * with the recorded results: the result of a recorded call with the same name and arguments, else
 * the last recorded result for that name; a name called but never answered in the recording
 * rejects with `NO_RECORDED_RESULT`. Calls the host made to pages are not replayed.
 */
export function replay(wv: WebView<any>, recording: DecodedRecording, options: ReplayOptions = {}): Replay {
  const played = recording.events.filter((event): event is Send | Change => event.kind === 'send' || event.kind === 'change');
  const sends = played.filter((event): event is Send => event.kind === 'send');
  const end = recording.events.reduce((latest, event) => Math.max(latest, event.time), 0);
  const period = Math.max(end, MIN_LOOP_MS);
  const loop = options.loop ?? true;
  const report = options.onError ?? (() => undefined);
  for (const send of sends) if (send.retained) wv.retain(send.id);
  const answers = options.answer === false ? { calls: [], boundCallbacks: [] } : answerFromRecording(wv, recording, report);
  const initial = declareRecordedParameters(wv, recording, report);
  const play1 = (event: Send | Change): void => (event.kind === 'send' ? resend(wv, event, recording.startTime, report) : replayChange(wv, event, report));

  let loops = 0;
  let index = 0;
  let loopStart = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const play = (): void => {
    timer = undefined;
    if (stopped) return;
    const elapsed = performance.now() - loopStart;
    while (index < played.length && played[index]!.time <= elapsed) play1(played[index++]!);
    if (index >= played.length) {
      if (elapsed < period) return void (timer = setTimeout(play, Math.min(MAX_TIMER_MS, period - elapsed)));
      loops++;
      if (!loop) return;
      index = 0;
      // Each loop starts from the values the parameters had when the recording began.
      for (const [id, value] of initial) setParameter(wv, id, value, report);
      // A host that fell more than a loop behind starts the next loop now rather than bursting to catch up.
      loopStart = elapsed - period > period ? performance.now() : loopStart + period;
      return play();
    }
    timer = setTimeout(play, Math.min(MAX_TIMER_MS, Math.max(0, played[index]!.time - elapsed)));
  };
  play();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    get loops() {
      return loops;
    },
    answers,
  };
}

/**
 * Sends a recorded message again. A stream's `samplePosition` goes as recorded; its `time` moves to
 * this host's clock by as much as the send did, so it stays as far ahead of (or behind) its send as
 * it was when recorded (pages that schedule by `meta.time` see the same lead).
 */
function resend(wv: WebView<any>, send: Send, startTime: number, report: (error: unknown) => void): void {
  try {
    if (send.hise) wv.sendToWebSocket(send.id, send.data as string | Float32Array | object);
    else if (send.meta === undefined) wv.send(send.id, send.data);
    else {
      const { time, samplePosition } = send.meta;
      const shift = hostTime() - (startTime + send.time);
      wv.send(send.id, send.data, { ...(time === undefined ? {} : { time: time + shift }), ...(samplePosition === undefined ? {} : { samplePosition }) });
    }
  } catch (error) {
    report(error);
  }
}

/** A recorded change of a parameter, played as the host's own `set` (pages see the knob move). */
function replayChange(wv: WebView<any>, change: Change, report: (error: unknown) => void): void {
  setParameter(wv, change.id, change.value, report);
}

function setParameter(wv: WebView<any>, id: string, value: ParameterValue, report: (error: unknown) => void): void {
  try {
    wv.parameters.get(id)?.set(value);
  } catch (error) {
    report(error);
  }
}

/**
 * Declares on `wv` every parameter the recording declared (one the host has already declared keeps
 * its own spec), with the recorded spec and value, and the recorded texts as its format where they
 * differ from the default text (a `format` function itself cannot be recorded).
 * @returns each replayed parameter's recorded starting value: every loop starts from it
 */
export function declareRecordedParameters(wv: WebView<any>, recording: DecodedRecording, report: (error: unknown) => void = () => undefined): Map<string, ParameterValue> {
  const declared = new Map<string, Declared>();
  const texts = new Map<string, Map<ParameterValue, string>>();
  for (const event of recording.events) {
    if (event.kind === 'parameter' && !declared.has(event.id)) declared.set(event.id, event);
    if (event.kind !== 'change') continue;
    let byValue = texts.get(event.id);
    if (byValue === undefined) texts.set(event.id, (byValue = new Map()));
    byValue.set(event.value, event.text);
  }
  const initial = new Map<string, ParameterValue>();
  for (const [id, { spec, value }] of declared) {
    if (wv.parameters.has(id)) continue;
    try {
      const format = recordedFormat(spec, texts.get(id));
      const parameter = wv.parameter(id, { ...(spec as ParameterSpecInput), ...(format === undefined ? {} : { format }) } as never);
      parameter.set(value as never);
      initial.set(id, value);
    } catch (error) {
      report(error);
    }
  }
  return initial;
}

function recordedFormat(spec: ParameterSpec, texts: Map<ParameterValue, string> | undefined): ((value: ParameterValue) => string) | undefined {
  if (texts === undefined || [...texts].every(([value, text]) => text === defaultText(spec, value))) return undefined;
  return (value) => texts.get(value) ?? defaultText(spec, value);
}

/**
 * Registers a `handle` or `bindCallback` for every name pages called while recording, answering
 * with the recorded results (as {@link replay} does).
 * @returns the names registered
 */
export function answerFromRecording(wv: WebView<any>, recording: DecodedRecording, report: (error: unknown) => void = () => undefined): Replay['answers'] {
  const calls: string[] = [];
  const boundCallbacks: string[] = [];
  for (const [name, entry] of answerTable(recording.events)) {
    const answer = (args: unknown[]): unknown => settle(name, entry.byArgs.get(argsKey(args)) ?? entry.last);
    try {
      if (entry.kind === 'call') {
        wv.handle(name, (...args: unknown[]) => answer(args));
        calls.push(name);
      } else {
        wv.bindCallback(name, (args) => answer(args));
        boundCallbacks.push(name);
      }
    } catch (error) {
      report(error);
    }
  }
  return { calls, boundCallbacks };
}

/** The names pages called while recording, by kind: what {@link answerFromRecording} registers. */
export function recordedCallNames(recording: DecodedRecording): Replay['answers'] {
  const entries = [...answerTable(recording.events)];
  return {
    calls: entries.filter(([, entry]) => entry.kind === 'call').map(([name]) => name),
    boundCallbacks: entries.filter(([, entry]) => entry.kind === 'bindCallback').map(([name]) => name),
  };
}

type AnswerEntry = { kind: 'call' | 'bindCallback'; byArgs: Map<string, Outcome>; last: Outcome | undefined };

/** Per name pages called: its recorded outcomes by arguments, and the last one. */
function answerTable(events: readonly RecordedEvent[]): Map<string, AnswerEntry> {
  const outcomes = new Map<number, Outcome>();
  for (const event of events) {
    if (event.kind !== 'settle') continue;
    outcomes.set(event.call, event.ok ? { ok: true, value: event.value } : { ok: false, error: event.error! });
  }
  const table = new Map<string, AnswerEntry>();
  for (const event of events) {
    if (event.kind !== 'call' || event.direction !== 'page-to-host' || (event.callKind !== 'call' && event.callKind !== 'bindCallback')) continue;
    let entry = table.get(event.name);
    if (entry === undefined) table.set(event.name, (entry = { kind: event.callKind, byArgs: new Map(), last: undefined }));
    const outcome = outcomes.get(event.call);
    if (outcome === undefined) continue; // never answered while recording
    entry.byArgs.set(argsKey(event.args), outcome);
    entry.last = outcome;
  }
  return table;
}

function settle(name: string, outcome: Outcome | undefined): unknown {
  if (outcome === undefined) throw new CallError('NO_RECORDED_RESULT', `the recording has no result for '${name}': it was called but never answered while recording`);
  if (outcome.ok) return outcome.value;
  throw new CallError(outcome.error.code ?? 'REMOTE_ERROR', outcome.error.message, outcome.error.name);
}

/** Arguments compared as their JSON: what they were on the wire. */
function argsKey(args: readonly unknown[]): string {
  try {
    return JSON.stringify(args);
  } catch {
    return '';
  }
}

/**
 * Reads a recording file. A file cut short (the recorder's process died) gives its whole records
 * and `truncatedBytes > 0`.
 * The whole file is read (a replay loops over it): files over `maxFileBytes` (default 256 MiB,
 * {@link DEFAULT_MAX_REPLAY_FILE_BYTES}) are refused, and so is anything that is not a regular file
 * (a FIFO, a device such as `/dev/zero`, a folder; also through a symbolic link): at most
 * `maxFileBytes` + 1 bytes are ever read.
 * @throws {WebViewError} `RECORDING_FAILED` (the file cannot be read, or is over `maxFileBytes`); `ProtocolError`
 *   `NOT_A_RECORDING`, `UNSUPPORTED_RECORDING_VERSION`, `RECORDING_TRUNCATED`, `RECORD_TOO_LARGE`, `INVALID_RECORD`
 */
export async function readRecordingFile(file: string, options: ReadRecordingOptions & { maxFileBytes?: number } = {}): Promise<DecodedRecording> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_REPLAY_FILE_BYTES;
  let bytes: Uint8Array;
  try {
    // Opened without blocking and checked on the descriptor: a FIFO or a device (`/dev/zero`) is refused, never read.
    bytes = await readRegularFile(file, { limit: maxFileBytes, limitName: 'maxFileBytes' });
  } catch (error) {
    throw new WebViewError('RECORDING_FAILED', `cannot read the recording ${file}: ${(error as Error).message}`, { cause: error });
  }
  return readRecording(bytes, options);
}

