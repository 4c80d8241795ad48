import type { Preview } from './summary.js';

/**
 * What the host pushes to an inspector page, at most `updateRate` times a second (as bytes under
 * the id {@link SNAPSHOT_ID}, a stream: a page that reads slowly gets the newest, never a queue).
 * Every list is bounded; every text is cut (see summary.ts).
 */
export interface InspectorSnapshot {
  /** The aggregator's identity: log `seq`s count from 1 per epoch (a host started again, or a reopened inspector without history). */
  readonly epoch: string;
  /** Milliseconds on the Unix epoch. */
  readonly time: number;
  readonly pages: readonly PageView[];
  readonly streams: readonly StreamView[];
  /** The newest calls, oldest first (at most `callLogSize`). */
  readonly calls: readonly CallView[];
  /** The newest log entries, oldest first (at most {@link LOG_ENTRIES_PER_SNAPSHOT}); the page merges them by `seq`. */
  readonly log: readonly LogEntry[];
  readonly retained: readonly { readonly id: string; readonly type: string; readonly preview: Preview }[];
  /** The host's parameters (`wv.parameters`, the first `maxIds`), in declaration order, each with its gesture timeline. */
  readonly parameters: readonly ParameterView[];
  /**
   * HISE's stored calls (the host's persistent calls, the first `maxIds`): a `callFunction` or `evaluate`
   * made while no page had the bridge (the stand-in's `initWebSocket`) crosses no socket; every page
   * runs it when it loads. So it shows here, not among the calls.
   */
  readonly stored: readonly StoredCallView[];
  /** Errors the host reported since the inspector was attached (with `history`) or opened. */
  readonly errors: number;
  /** Stream frames of ids beyond `maxIds`: counted, neither tracked nor logged. */
  readonly untrackedFrames: number;
}

/**
 * What a newly connected inspector page gets once, before its first snapshot (a control message
 * under {@link HISTORY_ID}): the whole log the host kept. Later snapshots carry only the newest
 * entries; the page merges both by `seq`, so nothing shows twice and nothing between them is lost.
 */
export interface InspectorHistory {
  readonly epoch: string;
  /** Entries the host keeps at most (`logSize`): the page keeps as many. */
  readonly logSize: number;
  /** Entries the host forgot to stay within `logSize` and `logBytes`, before the oldest one here. */
  readonly forgotten: number;
  /** Every entry kept, oldest first. */
  readonly log: readonly LogEntry[];
}

/** One stored call. */
export interface StoredCallView {
  readonly kind: 'callFunction' | 'evaluate';
  /** Its key: the function's name, or the `evaluate` uid. */
  readonly key: string;
  /** `name(arg)`, or the code. */
  readonly call: string;
}

/** One page (browser tab) of the host. */
export interface PageView {
  readonly id: number;
  readonly origin: string;
  readonly path: string;
  /** `modern` (our client, the extension), `hise` (HISE's format: HISE's own client or the drop-in), `bridge` (only the bridge connected so far). */
  readonly kind: 'modern' | 'hise' | 'bridge';
  readonly bridged: boolean;
  readonly connections: number;
  /** When it connected (ms on the Unix epoch); undefined for a page connected before the inspector opened. */
  readonly connectedAt: number | undefined;
  readonly bufferedBytes: number;
  readonly congested: boolean;
  readonly framesSent: number;
  readonly framesCoalesced: number;
}

/** One id in one direction. */
export interface StreamView {
  readonly id: string;
  /** `out`: host to pages; `in`: pages to host (`(no id)` for HISE-format pages). */
  readonly direction: 'out' | 'in';
  readonly type: string;
  /** Elements of a typed array, characters of a string, keys or items of JSON. */
  readonly size: number;
  readonly messages: number;
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
  /** True when JSON bytes were estimated from sampled sizes. */
  readonly bytesEstimated: boolean;
  /** Sends answered `'dropped'` (host to pages). */
  readonly dropped: number;
  /** Sends answered `'queued'` (no page yet). */
  readonly queued: number;
  readonly lastTime: number;
  /** The page it came from last (`in`) or was sent to last (`sendTo`); undefined for every page. */
  readonly page: number | undefined;
  readonly preview: Preview;
  /** The current run of frames (typed arrays, bytes), shown as one rate line in the log: its entry's `seq` and counters. */
  readonly run: { readonly seq: number; readonly frames: number; readonly bytes: number } | undefined;
  /** Its newest frames (at most `RECENT_FRAMES`), oldest first: what the rate line shows expanded. */
  readonly recent: readonly FrameView[];
}

/** One stream frame, as the expanded rate line lists it (its data is summarised by the stream's preview). */
export interface FrameView {
  readonly time: number;
  readonly bytes: number;
  /** A send's result (`sent`, `queued`, `dropped`); undefined for a frame a page sent. */
  readonly result: string | undefined;
}

/** A call either way, with its outcome once settled. */
export interface CallView {
  readonly call: number;
  readonly time: number;
  readonly direction: 'host-to-page' | 'page-to-host' | 'inspector';
  readonly kind: string;
  readonly name: string;
  readonly args: string;
  readonly page: number | undefined;
  /** Milliseconds, once settled. */
  readonly duration: number | undefined;
  readonly ok: boolean | undefined;
  readonly result: string | undefined;
  readonly errorCode: string | undefined;
  /** The bridge's own call (`$sync`, `$reload`, …; kind `bridge`): hidden unless the page's filter shows it. */
  readonly internal: boolean;
}

/** One parameter: what `wv.parameters` says of it now, and what happened to it since the inspector opened. */
export interface ParameterView {
  readonly id: string;
  readonly type: 'number' | 'choice' | 'boolean';
  /** The spec in one line (range, step, skew, unit, default, label; a choice's first names). */
  readonly spec: string;
  readonly value: number | string | boolean;
  /** The value as text (its `format`, else the default text). */
  readonly text: string;
  /** Who made the latest change. */
  readonly source: 'host' | 'page';
  /** The page that made the latest change seen, if a page did. */
  readonly page: number | undefined;
  /** Changes seen since the inspector opened. */
  readonly changes: number;
  /** Its newest gestures, oldest first (at most `GESTURES_KEPT`). */
  readonly gestures: readonly GestureView[];
}

/** One page's gesture on a parameter: start → changes → end. */
export interface GestureView {
  readonly page: number;
  /** When it began; undefined for one that began before the inspector opened. */
  readonly start: number | undefined;
  /** When it ended; undefined while it is open. */
  readonly end: number | undefined;
  readonly from: number | string | boolean;
  /** The value at its end. */
  readonly to: number | string | boolean | undefined;
  /** `end` (the page ended it) or `disconnect` (its connection went). */
  readonly reason: 'end' | 'disconnect' | undefined;
  /** Values the page set in it. */
  readonly changes: number;
  /** The newest of those values (at most `GESTURE_POINTS`), oldest first. */
  readonly values: readonly (number | string | boolean)[];
}

/** A run of one id's stream frames, collapsed into one log entry: counters the host updates while it runs. */
export interface StreamRun {
  frames: number;
  bytes: number;
  /** When its newest frame crossed. */
  end: number;
}

/** One line of the message log. */
export interface LogEntry {
  /** Counts up from 1 per `epoch` (from when the inspector was attached, with `history`). */
  readonly seq: number;
  readonly time: number;
  readonly direction: 'out' | 'in' | 'event';
  /** The message id; for events: `connect`, `disconnect`, `error`. */
  readonly id: string;
  readonly page: number | undefined;
  readonly text: string;
  /** A send's result (`sent`, `queued`, `dropped`). */
  readonly result?: string;
  /** The bridge's own message (an id starting with `$`): hidden unless the page's filter shows it. */
  readonly internal?: true;
  /**
   * Set on the entry that stands for a run of stream frames (typed arrays, bytes) of one id: the
   * run's first frame is `text`, the rest are counted here, not logged one by one. A pause longer
   * than `RUN_GAP` starts a new run.
   */
  readonly stream?: StreamRun;
}

/** The id snapshots travel under, to the inspector page. */
export const SNAPSHOT_ID = 'snapshot';
/** The id the history travels under, to a newly connected inspector page. */
export const HISTORY_ID = 'history';
/** Log entries a snapshot carries at most (the page keeps its own bounded history). */
export const LOG_ENTRIES_PER_SNAPSHOT = 200;
/** Log entries one `log(after)` call returns at most. */
export const LOG_ENTRIES_PER_FILL = 2000;

/** The functions the inspector page calls on the host (its console). */
export type InspectorFunctions = {
  /** `send`/`sendTo`: `as` says how to send `data` (`json` as it is, `string`, `float32` from a number array). */
  send(target: 'all' | number, id: string, data: unknown, as: 'json' | 'string' | 'float32'): string;
  /** `wv.call(page, name, ...args)`: a function a modern page offered with `handle`. */
  callPage(page: number, name: string, args: unknown[]): unknown;
  /** `wv.callFunction(name, arg)`: HISE's direct communication, in every page with the bridge. */
  callFunction(name: string, arg?: unknown): unknown;
  /** A function the host offered with `handle`, or a callback bound with `bindCallback`. */
  callHost(name: string, args: unknown[]): unknown;
  /** `wv.parameters.get(id).set(value)`: as automation would (source `host`); returns the value it took (clamped, quantised). */
  setParameter(id: string, value: unknown): unknown;
  /**
   * The kept log entries after `seq` (at most `LOG_ENTRIES_PER_FILL`, oldest first): a page that
   * missed snapshots (it read slowly; they are coalesced) fills the gap instead of showing one.
   */
  log(after: number): InspectorHistory;
};
