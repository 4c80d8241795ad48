import type { Observation, Page, Parameter } from '../host/index.js';
import { ParameterTimelines } from './parameter-timeline.js';
import { Ring } from './ring.js';
import type { CallView, InspectorSnapshot, LogEntry, PageView, StreamView } from './snapshot.js';
import { LOG_ENTRIES_PER_SNAPSHOT } from './snapshot.js';
import { argsLine, bytesOf, lineOf, previewOf, sizeOf, typeOf, type Preview } from './summary.js';

/** What the aggregator reads of the host besides observations: its public API only. */
export interface ObservedHost {
  readonly pages: readonly Page[];
  readonly retainedValues: ReadonlyMap<string, unknown>;
  readonly parameters: ReadonlyMap<string, Parameter>;
}

/** Limits of one aggregator (see `InspectorOptions`). */
export interface AggregatorLimits {
  /** Log entries kept. */
  readonly logSize: number;
  /** Calls kept. */
  readonly callLogSize: number;
  /** Points of an oscilloscope preview. */
  readonly previewPoints: number;
  /** Milliseconds between two previews of one id (the display rate). */
  readonly sampleInterval: number;
  /** Ids tracked (an id in each direction counts once each); messages of further ids are logged only. */
  readonly maxIds: number;
}

/** Milliseconds over which rates are measured. */
const RATE_WINDOW = 1000;

interface Stream {
  readonly id: string;
  readonly direction: 'out' | 'in';
  type: string;
  size: number;
  messages: number;
  bytes: number;
  bytesEstimated: boolean;
  /** Bytes of the last sampled JSON value, for the estimate. */
  sampledBytes: number;
  dropped: number;
  queued: number;
  lastTime: number;
  page: number | undefined;
  preview: Preview;
  sampledAt: number;
  /** Frames not logged since the last sampled one. */
  unlogged: number;
  /** Counters at the start of the current rate window, and the rates of the last one. */
  windowStart: number;
  windowMessages: number;
  windowBytes: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
}

type MutableCall = { -readonly [K in keyof CallView]: CallView[K] };

/**
 * Folds the host's observations into what the inspector shows: per-id counters and a sampled
 * preview (a copy, decimated, at most once per `sampleInterval` per id), bounded logs of messages
 * and calls. Runs on the host's I/O path, so each observation costs a few counter updates; the
 * expensive parts (previews, snapshots) run at display rate.
 */
export class Aggregator {
  readonly #host: ObservedHost;
  readonly #limits: AggregatorLimits;
  readonly #streams = new Map<string, Stream>();
  readonly #log: Ring<LogEntry>;
  readonly #calls: Ring<MutableCall>;
  readonly #openCalls = new Map<number, MutableCall>();
  readonly #connectedAt = new WeakMap<Page, number>();
  readonly #parameters: ParameterTimelines;
  #seq = 0;
  #errors = 0;
  #inspectorCalls = 0;

  constructor(host: ObservedHost, limits: AggregatorLimits) {
    this.#host = host;
    this.#limits = limits;
    this.#log = new Ring(limits.logSize);
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
          name: o.name,
          args: argsLine(o.args),
          page: o.page.id,
          duration: undefined,
          ok: undefined,
          result: undefined,
          errorCode: undefined,
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
        settle(call, o.duration, o.ok, o.ok ? lineOf(o.value) : `${o.error?.name ?? 'Error'}: ${o.error?.message ?? ''}`, o.error?.code);
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
    const call: MutableCall = { call: -++this.#inspectorCalls, time, direction: 'inspector', kind, name, args: argsLine(args), page, duration: undefined, ok: undefined, result: undefined, errorCode: undefined };
    this.#calls.push(call);
    return (ok, value, started) => {
      const error = value as { name?: unknown; message?: unknown; code?: unknown } | undefined;
      const code = !ok && typeof error?.code === 'string' ? error.code : undefined;
      settle(call, performance.now() - started, ok, ok ? lineOf(value) : `${String(error?.name ?? 'Error')}: ${String(error?.message ?? value)}`, code);
    };
  }

  /** What the inspector shows now. Runs at display rate. */
  snapshot(now: number): InspectorSnapshot {
    return {
      time: now,
      pages: this.#host.pages.map((page) => this.#pageView(page)),
      streams: [...this.#streams.values()].map((stream) => streamView(stream, now)),
      calls: this.#calls.last(this.#limits.callLogSize).map((call) => ({ ...call })),
      log: this.#log.last(LOG_ENTRIES_PER_SNAPSHOT),
      retained: [...this.#host.retainedValues].map(([id, value]) => ({ id, type: typeOf(value), preview: previewOf(value, this.#limits.previewPoints) })),
      parameters: this.#parameters.views(this.#host.parameters),
      errors: this.#errors,
    };
  }

  /**
   * Counts a message and samples it: a control message is logged every time, a stream frame (typed
   * array or bytes) at most once per `sampleInterval` per id, with the frames folded since; a stream
   * at audio rate would otherwise push everything else out of the log, and cost a log entry each.
   */
  #message(direction: 'out' | 'in', id: string, data: unknown, page: Page | undefined, time: number, result: string | undefined): void {
    const stream = this.#stream(direction, id, time);
    const frame = ArrayBuffer.isView(data);
    if (stream === undefined || !frame) this.#logMessage(direction, id, data, page, time, result, '');
    if (stream === undefined) return;
    stream.messages++;
    stream.lastTime = time;
    stream.page = page?.id;
    if (result === 'dropped') stream.dropped++;
    else if (result === 'queued') stream.queued++;
    const sample = time - stream.sampledAt >= this.#limits.sampleInterval;
    if (sample) {
      if (frame) this.#logMessage(direction, id, data, page, time, result, stream.unlogged > 0 ? ` (+${stream.unlogged} frames not shown)` : '');
      stream.unlogged = 0;
      stream.sampledAt = time;
      stream.type = typeOf(data);
      stream.size = sizeOf(data);
      stream.preview = previewOf(data, this.#limits.previewPoints);
    }
    else if (frame) stream.unlogged++;
    const bytes = bytesOf(data, sample);
    if (bytes !== undefined) {
      stream.bytes += bytes;
      if (sample && !ArrayBuffer.isView(data) && typeof data !== 'string') stream.sampledBytes = bytes;
    } else {
      stream.bytes += stream.sampledBytes;
      stream.bytesEstimated = true;
    }
  }

  #logMessage(direction: 'out' | 'in', id: string, data: unknown, page: Page | undefined, time: number, result: string | undefined, suffix: string): void {
    const entry: LogEntry = { seq: ++this.#seq, time, direction, id, page: page?.id, text: lineOf(data) + suffix };
    this.#log.push(result === undefined ? entry : { ...entry, result });
  }

  #stream(direction: 'out' | 'in', id: string, time: number): Stream | undefined {
    const key = `${direction}\u0000${id}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      if (this.#streams.size >= this.#limits.maxIds) return undefined;
      stream = {
        id,
        direction,
        type: 'none',
        size: 0,
        messages: 0,
        bytes: 0,
        bytesEstimated: false,
        sampledBytes: 0,
        dropped: 0,
        queued: 0,
        lastTime: time,
        page: undefined,
        preview: { kind: 'none' },
        sampledAt: -Infinity,
        unlogged: 0,
        windowStart: time,
        windowMessages: 0,
        windowBytes: 0,
        messagesPerSecond: 0,
        bytesPerSecond: 0,
      };
      this.#streams.set(key, stream);
    }
    return stream;
  }

  #event(time: number, id: 'connect' | 'disconnect' | 'error', page: Page | undefined, text: string): void {
    this.#log.push({ seq: ++this.#seq, time, direction: 'event', id, page: page?.id, text: text.length > 300 ? `${text.slice(0, 299)}…` : text });
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

/** The stream's view; rolls its rate window over when it has run {@link RATE_WINDOW} ms. */
function streamView(stream: Stream, now: number): StreamView {
  const elapsed = now - stream.windowStart;
  if (elapsed >= RATE_WINDOW) {
    stream.messagesPerSecond = ((stream.messages - stream.windowMessages) * 1000) / elapsed;
    stream.bytesPerSecond = ((stream.bytes - stream.windowBytes) * 1000) / elapsed;
    stream.windowStart = now;
    stream.windowMessages = stream.messages;
    stream.windowBytes = stream.bytes;
  }
  const idle = now - stream.lastTime > 2 * RATE_WINDOW;
  return {
    id: stream.id,
    direction: stream.direction,
    type: stream.type,
    size: stream.size,
    messages: stream.messages,
    messagesPerSecond: idle ? 0 : stream.messagesPerSecond,
    bytesPerSecond: idle ? 0 : stream.bytesPerSecond,
    bytesEstimated: stream.bytesEstimated,
    dropped: stream.dropped,
    queued: stream.queued,
    lastTime: stream.lastTime,
    page: stream.page,
    preview: stream.preview,
  };
}
