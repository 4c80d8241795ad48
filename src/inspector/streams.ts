import type { FrameView, LogEntry, StreamRun, StreamView } from './snapshot.js';
import type { Preview } from './summary.js';

/** Milliseconds over which rates are measured. */
export const RATE_WINDOW = 1000;
/** Milliseconds without a frame of an id after which its next frame starts a new run (a new rate line). */
export const RUN_GAP = 2 * RATE_WINDOW;
/** Frames per id whose time, bytes and result are kept for the expanded rate line. */
export const RECENT_FRAMES = 20;

const RESULTS = [undefined, 'sent', 'queued', 'dropped'] as const;

/** The newest frames of one stream, in three fixed arrays: a frame costs three stores, no allocation. */
class RecentFrames {
  readonly #times = new Float64Array(RECENT_FRAMES);
  readonly #bytes = new Float64Array(RECENT_FRAMES);
  readonly #results = new Uint8Array(RECENT_FRAMES);
  #next = 0;
  #count = 0;

  push(time: number, bytes: number, result: string | undefined): void {
    this.#times[this.#next] = time;
    this.#bytes[this.#next] = bytes;
    this.#results[this.#next] = Math.max(0, RESULTS.indexOf(result as (typeof RESULTS)[number]));
    this.#next = (this.#next + 1) % RECENT_FRAMES;
    this.#count = Math.min(this.#count + 1, RECENT_FRAMES);
  }

  views(): FrameView[] {
    const out: FrameView[] = [];
    for (let i = this.#count; i > 0; i--) {
      const slot = (this.#next - i + RECENT_FRAMES) % RECENT_FRAMES;
      out.push({ time: this.#times[slot]!, bytes: this.#bytes[slot]!, result: RESULTS[this.#results[slot]!] });
    }
    return out;
  }
}

/** One id in one direction, as the aggregator counts it. */
export interface Stream {
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
  /** The log entry of its current run of frames. */
  run: (LogEntry & { readonly stream: StreamRun }) | undefined;
  readonly recent: RecentFrames;
  /** Counters at the start of the current rate window, and the rates of the last one. */
  windowStart: number;
  windowMessages: number;
  windowBytes: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
}

export function createStream(id: string, direction: 'out' | 'in', time: number): Stream {
  return {
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
    run: undefined,
    recent: new RecentFrames(),
    windowStart: time,
    windowMessages: 0,
    windowBytes: 0,
    messagesPerSecond: 0,
    bytesPerSecond: 0,
  };
}

/** Whether a frame at `time` continues the stream's current run (else it starts one). */
export function continuesRun(stream: Stream, time: number): boolean {
  return stream.run !== undefined && time - stream.run.stream.end <= RUN_GAP;
}

/** The stream's view; rolls its rate window over when it has run {@link RATE_WINDOW} ms. */
export function streamView(stream: Stream, now: number): StreamView {
  const elapsed = now - stream.windowStart;
  if (elapsed >= RATE_WINDOW) {
    stream.messagesPerSecond = ((stream.messages - stream.windowMessages) * 1000) / elapsed;
    stream.bytesPerSecond = ((stream.bytes - stream.windowBytes) * 1000) / elapsed;
    stream.windowStart = now;
    stream.windowMessages = stream.messages;
    stream.windowBytes = stream.bytes;
  }
  const idle = now - stream.lastTime > RUN_GAP;
  const run = stream.run;
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
    run: run === undefined ? undefined : { seq: run.seq, frames: run.stream.frames, bytes: run.stream.bytes },
    recent: stream.recent.views(),
  };
}
