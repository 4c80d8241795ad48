import { randomBytes } from 'node:crypto';
import type { Observation, Page, Parameter, WebView } from '../host/index.js';
import { hostInternals } from '../host/internals.js';
import type { PersistentCall } from '../protocol/index.js';
import { History } from './history.js';
import { ParameterTimelines } from './parameter-timeline.js';
import { Ring } from './ring.js';
import type { CallView, InspectorHistory, InspectorSnapshot, LogEntry, PageView, StoredCallView } from './snapshot.js';
import { LOG_ENTRIES_PER_SNAPSHOT } from './snapshot.js';
import { continuesRun, createStream, streamView, type Stream } from './streams.js';
import { argsLine, bytesOf, cut, lineOf, previewOf, sizeOf, typeOf } from './summary.js';

/** What the aggregator reads of the host besides observations: its public API only. */
export interface ObservedHost {
  readonly pages: readonly Page[];
  readonly retainedValues: ReadonlyMap<string, unknown>;
  readonly parameters: ReadonlyMap<string, Parameter>;
  readonly persistentCalls: readonly PersistentCall[];
}

/** A `WebView` as the aggregator reads it: its public API, and HISE's stored calls from the host's internals. */
export function observedHost(wv: WebView): ObservedHost {
  return {
    get pages() { return wv.pages; },
    get retainedValues() { return wv.retainedValues; },
    get parameters() { return wv.parameters; },
    get persistentCalls() { return hostInternals(wv).persistentCalls; },
  };
}

/** Limits of one aggregator (see `InspectorOptions`). */
export interface AggregatorLimits {
  /** Log entries kept. */
  readonly logSize: number;
  /** Estimated bytes of log entries kept (see history.ts). */
  readonly logBytes: number;
  /** Calls kept. */
  readonly callLogSize: number;
  /** Points of an oscilloscope preview. */
  readonly previewPoints: number;
  /** Milliseconds between two previews of one id (the display rate). */
  readonly sampleInterval: number;
  /** Ids tracked (an id in each direction counts once each); messages of further ids are logged only. */
  readonly maxIds: number;
}

/** A stored call as one line: `callFunction` with its argument, `evaluate` with its code. */
function storedView(call: PersistentCall): StoredCallView {
  if (call.kind === 'evaluate') return { kind: 'evaluate', key: cut(call.uid), call: cut(call.code) };
  return { kind: 'callFunction', key: cut(call.name), call: cut(`${call.name}(${'arg' in call ? lineOf(call.arg) : ''})`) };
}

/** Characters of an event's line (an error's message can say more than a message's summary). */
const EVENT_LINE = 300;

type MutableCall = { -readonly [K in keyof CallView]: CallView[K] };

/**
 * Folds the host's observations into what the inspector shows: per-id counters and a sampled
 * preview (a copy, decimated, at most once per `sampleInterval` per id), bounded logs of messages
 * and calls. Runs on the host's I/O path, so each observation costs a few counter updates; the
 * expensive parts (previews, snapshots) run at display rate. A run of one id's stream frames takes
 * one log entry, whatever its length, so a stream never pushes the rest of the history out.
 */
export class Aggregator {
  readonly #host: ObservedHost;
  readonly #limits: AggregatorLimits;
  readonly #streams = new Map<string, Stream>();
  readonly #log: History;
  /** Tells this aggregator's `seq`s from another's (a host started again). */
  readonly epoch = randomBytes(6).toString('base64url');
  readonly #calls: Ring<MutableCall>;
  readonly #openCalls = new Map<number, MutableCall>();
  readonly #connectedAt = new WeakMap<Page, number>();
  readonly #parameters: ParameterTimelines;
  #seq = 0;
  #errors = 0;
  #inspectorCalls = 0;
  #untrackedFrames = 0;

  constructor(host: ObservedHost, limits: AggregatorLimits) {
    this.#host = host;
    this.#limits = limits;
    this.#log = new History(limits.logSize, limits.logBytes);
    this.#calls = new Ring(limits.callLogSize);
    this.#parameters = new ParameterTimelines(limits.maxIds);
  }

  /** The observer to hand to `wv.observe`. */
  readonly observe = (o: Observation): void => {
    switch (o.type) {
      case 'send':
        this.#message('out', o.id, o.data, o.page, o.time, o.result);
        break;
      case 'receive':
        this.#message('in', o.id ?? '(no id)', o.data, o.page, o.time, undefined);
        break;
      case 'call': {
        const call: MutableCall = {
          call: o.call,
          time: o.time,
          direction: o.direction,
          kind: o.kind,
          name: cut(o.name),
          args: argsLine(o.args),
          page: o.page.id,
          duration: undefined,
          ok: undefined,
          result: undefined,
          errorCode: undefined,
          internal: o.kind === 'bridge',
        };
        this.#calls.push(call);
        this.#openCalls.set(o.call, call);
        if (this.#openCalls.size > this.#limits.callLogSize) this.#openCalls.delete(this.#openCalls.keys().next().value!);
        break;
      }
      case 'settle': {
        const call = this.#openCalls.get(o.call);
        if (call === undefined) break;
        this.#openCalls.delete(o.call);
        settle(call, o.duration, o.ok, o.ok ? lineOf(o.value) : cut(`${o.error?.name ?? 'Error'}: ${o.error?.message ?? ''}`), o.error?.code);
        break;
      }
      case 'connect':
        this.#connectedAt.set(o.page, o.time);
        this.#event(o.time, 'connect', o.page, `page ${o.page.id} from ${o.page.origin ?? '(no origin)'} ${o.page.path}`);
        break;
      case 'disconnect':
        this.#event(o.time, 'disconnect', o.page, `page ${o.page.id}: ${o.code}${o.reason === '' ? '' : ` ${o.reason}`}`);
        break;
      case 'parameter':
      case 'gesture':
        this.#parameters.observe(o);
        break;
      case 'error':
        this.#errors++;
        this.#event(o.time, 'error', o.page, `${o.error.code}: ${o.error.message}`);
        break;
    }
  };

  /**
   * Records a call the inspector made itself (its console) and returns what settles it: those calls
   * do not cross the bridge as calls, so the observer does not see them.
   */
  inspectorCall(kind: string, name: string, args: readonly unknown[], page: number | undefined): (ok: boolean, value: unknown, started: number) => void {
    const time = performance.timeOrigin + performance.now();
    const call: MutableCall = { call: -++this.#inspectorCalls, time, direction: 'inspector', kind, name: cut(name), args: argsLine(args), page, duration: undefined, ok: undefined, result: undefined, errorCode: undefined, internal: false };
    this.#calls.push(call);
    return (ok, value, started) => {
      const error = value as { name?: unknown; message?: unknown; code?: unknown } | undefined;
      const code = !ok && typeof error?.code === 'string' ? error.code : undefined;
      settle(call, performance.now() - started, ok, ok ? lineOf(value) : cut(`${String(error?.name ?? 'Error')}: ${String(error?.message ?? value)}`), code);
    };
  }

  /** What the inspector shows now. Runs at display rate. */
  snapshot(now: number): InspectorSnapshot {
    return {
      epoch: this.epoch,
      time: now,
      pages: this.#host.pages.map((page) => this.#pageView(page)),
      streams: [...this.#streams.values()].map((stream) => streamView(stream, now)),
      calls: this.#calls.last(this.#limits.callLogSize).map((call) => ({ ...call })),
      log: this.#log.last(LOG_ENTRIES_PER_SNAPSHOT),
      retained: [...this.#host.retainedValues].map(([id, value]) => ({ id, type: typeOf(value), preview: previewOf(value, this.#limits.previewPoints) })),
      parameters: this.#parameters.views(this.#host.parameters),
      stored: this.#host.persistentCalls.slice(0, this.#limits.maxIds).map(storedView),
      errors: this.#errors,
      untrackedFrames: this.#untrackedFrames,
    };
  }

  /** The kept entries after `seq` (at most `count`), for a page that missed some. */
  logAfter(seq: number, count: number): InspectorHistory {
    return { epoch: this.epoch, logSize: this.#limits.logSize, forgotten: this.#log.forgotten, log: this.#log.after(seq, count) };
  }

  /** Everything the log keeps, for an inspector page that just connected. */
  history(): InspectorHistory {
    return { epoch: this.epoch, logSize: this.#limits.logSize, forgotten: this.#log.forgotten, log: this.#log.last(this.#log.size) };
  }

  /**
   * Counts a message and samples it: a control message is logged every time; a stream frame (typed
   * array or bytes) is counted into its id's current run, one log entry per run, and previewed at
   * most once per `sampleInterval` per id.
   */
  #message(direction: 'out' | 'in', id: string, data: unknown, page: Page | undefined, time: number, result: string | undefined): void {
    const stream = this.#stream(direction, id, time);
    const frame = ArrayBuffer.isView(data);
    if (!frame) this.#log.push(this.#entry(direction, id, data, page, time, result));
    if (stream === undefined) {
      if (frame) this.#untrackedFrames++;
      return;
    }
    stream.messages++;
    stream.lastTime = time;
    stream.page = page?.id;
    if (result === 'dropped') stream.dropped++;
    else if (result === 'queued') stream.queued++;
    const sample = time - stream.sampledAt >= this.#limits.sampleInterval;
    if (sample) {
      stream.sampledAt = time;
      stream.type = typeOf(data);
      stream.size = sizeOf(data);
      stream.preview = previewOf(data, this.#limits.previewPoints);
    }
    const bytes = bytesOf(data, sample);
    if (bytes !== undefined) {
      stream.bytes += bytes;
      if (sample && !frame && typeof data !== 'string') stream.sampledBytes = bytes;
    } else {
      stream.bytes += stream.sampledBytes;
      stream.bytesEstimated = true;
    }
    if (frame) this.#frame(stream, data, page, time, result, bytes!);
  }

  /** Counts a frame into its stream's run, starting a run (one log entry) after a pause. */
  #frame(stream: Stream, data: unknown, page: Page | undefined, time: number, result: string | undefined, bytes: number): void {
    if (!continuesRun(stream, time)) {
      const run = { ...this.#entry(stream.direction, stream.id, data, page, time, undefined), stream: { frames: 0, bytes: 0, end: time } };
      stream.run = run;
      this.#log.push(run);
    }
    const counters = stream.run!.stream;
    counters.frames++;
    counters.bytes += bytes;
    counters.end = time;
    stream.recent.push(time, bytes, result);
  }

  /** A log entry for a message: its one-line summary, never its data. */
  #entry(direction: 'out' | 'in', id: string, data: unknown, page: Page | undefined, time: number, result: string | undefined): LogEntry {
    const entry: { -readonly [K in keyof LogEntry]: LogEntry[K] } = { seq: ++this.#seq, time, direction, id: cut(id), page: page?.id, text: lineOf(data) };
    if (result !== undefined) entry.result = result;
    if (id.startsWith('$')) entry.internal = true;
    return entry;
  }


  #stream(direction: 'out' | 'in', id: string, time: number): Stream | undefined {
    const key = `${direction}\u0000${id}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      if (this.#streams.size >= this.#limits.maxIds) return undefined;
      stream = createStream(id, direction, time);
      this.#streams.set(key, stream);
    }
    return stream;
  }

  #event(time: number, id: 'connect' | 'disconnect' | 'error', page: Page | undefined, text: string): void {
    this.#log.push({ seq: ++this.#seq, time, direction: 'event', id, page: page?.id, text: cut(text, EVENT_LINE) });
  }

  #pageView(page: Page): PageView {
    const stats = page.stats;
    const data = page.connections.filter((connection) => !connection.bridged);
    return {
      id: page.id,
      origin: page.origin ?? '(no origin)',
      path: page.path,
      kind: page.extended ? 'modern' : data.length > 0 ? 'hise' : 'bridge',
      bridged: page.bridged,
      connections: page.connections.length,
      connectedAt: this.#connectedAt.get(page),
      bufferedBytes: page.bufferedBytes,
      congested: page.congested,
      framesSent: stats.framesSent,
      framesCoalesced: stats.framesCoalesced,
    };
  }
}

function settle(call: MutableCall, duration: number, ok: boolean, result: string, code: string | undefined): void {
  call.duration = duration;
  call.ok = ok;
  call.result = result;
  call.errorCode = code;
}
