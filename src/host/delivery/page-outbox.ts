import { wireBytes, type WireFrame } from './outbound.js';

/** Where an outbox writes: a WebSocket, seen only through the two things the policy needs. */
export interface FrameSink {
  /** Bytes accepted but not yet handed to the operating system. */
  readonly bufferedAmount: number;
  /** Writes one binary frame; `written` runs once it has left the process (or failed). */
  send(bytes: Uint8Array, written: (error?: Error | null) => void): void;
}

/** What happened to one frame offered to one page. */
export type DeliveryResult = 'sent' | 'queued' | 'coalesced' | 'overflow';

/** Counters of one page's outbound traffic. */
export interface OutboxStats {
  /** Frames written to the socket. */
  framesSent: number;
  /** Stream frames replaced by a newer frame of the same id before they were written. */
  framesCoalesced: number;
}

/**
 * The backpressure policy for one page (PROTOCOL.md §3, "Backpressure"). While the page keeps up,
 * frames go straight to the socket. Once its buffered bytes pass `highWaterMark`, the page is
 * *congested*: stream frames (float data) wait one per id, latest wins; control frames (strings,
 * JSON) wait in order and are never dropped. A frame is written only when it keeps the buffer within
 * the mark (or the buffer is empty). When the socket drains below half the mark, control frames go
 * first, then the newest stream frames. A stalled page therefore costs at most the mark, one frame
 * per stream id, and `maxQueuedBytes` of control frames, past which `onOverflow` runs.
 */
export class PageOutbox {
  readonly stats: OutboxStats = { framesSent: 0, framesCoalesced: 0 };
  readonly #sink: FrameSink;
  readonly #highWaterMark: number;
  readonly #maxQueuedBytes: number;
  readonly #onOverflow: () => void;
  readonly #onDiscard: ((frame: WireFrame) => void) | undefined;
  #congested = false;
  #control: (WireFrame | undefined)[] = [];
  #controlHead = 0;
  #controlBytes = 0;
  readonly #streams = new Map<string, WireFrame>();

  /** `onDiscard` hears of every held stream frame that never goes (replaced, or cleared). */
  constructor(sink: FrameSink, limits: { highWaterMark: number; maxQueuedBytes: number }, onOverflow: () => void, onDiscard?: (frame: WireFrame) => void) {
    this.#sink = sink;
    this.#highWaterMark = limits.highWaterMark;
    this.#maxQueuedBytes = limits.maxQueuedBytes;
    this.#onOverflow = onOverflow;
    this.#onDiscard = onDiscard;
  }

  /** Offers one frame to the page. */
  send(frame: WireFrame): DeliveryResult {
    if (!this.#congested && this.#fits(frame)) {
      this.#write(frame);
      return 'sent';
    }
    this.#congested = true;
    return frame.kind === 'stream' ? this.#holdStream(frame) : this.#holdControl(frame);
  }

  /** True while frames are being held back. */
  get congested(): boolean {
    return this.#congested;
  }

  /** Bytes held in this outbox (not counting what the socket buffers). */
  get queuedBytes(): number {
    let bytes = this.#controlBytes;
    for (const frame of this.#streams.values()) bytes += wireBytes(frame);
    return bytes;
  }

  /** Drops everything held, e.g. when the page has gone. */
  clear(): void {
    this.#control = [];
    this.#controlHead = 0;
    this.#controlBytes = 0;
    if (this.#onDiscard !== undefined) for (const frame of this.#streams.values()) this.#onDiscard(frame);
    this.#streams.clear();
  }

  readonly #onWritten = (error?: Error | null): void => {
    // Node passes null, not undefined, for a write that succeeded.
    if (!error && this.#congested && this.#sink.bufferedAmount <= this.#highWaterMark / 2) this.#drain();
  };

  /**
   * Checked before writing, so the buffer never passes the mark by the frame that crosses it
   * (bench/ANALYSIS.md §3); an empty buffer takes any frame, however large.
   */
  #fits(frame: WireFrame): boolean {
    const buffered = this.#sink.bufferedAmount;
    return buffered === 0 || buffered + wireBytes(frame) <= this.#highWaterMark;
  }

  #write(frame: WireFrame): void {
    const { bytes, payload } = frame;
    if (payload === undefined) this.#sink.send(bytes, this.#onWritten);
    else {
      // An owned stream frame (PROTOCOL.md §4.9): its head, then its payload, as two messages.
      this.#sink.send(bytes, ignoreWritten);
      this.#sink.send(payload, this.#onWritten);
    }
    this.stats.framesSent++;
    if (this.#sink.bufferedAmount > this.#highWaterMark) this.#congested = true;
  }

  #holdStream(frame: WireFrame): DeliveryResult {
    const replaced = this.#streams.get(frame.id);
    this.#streams.set(frame.id, frame);
    if (replaced === undefined) return 'queued';
    this.#onDiscard?.(replaced);
    this.stats.framesCoalesced++;
    return 'coalesced';
  }

  #holdControl(frame: WireFrame): DeliveryResult {
    if (this.#controlBytes + wireBytes(frame) > this.#maxQueuedBytes) {
      this.#onOverflow();
      return 'overflow';
    }
    this.#control.push(frame);
    this.#controlBytes += wireBytes(frame);
    return 'queued';
  }

  /** Control frames first, in order, then the newest frame of each stream, until congested again. */
  #drain(): void {
    this.#congested = false;
    while (!this.#congested && this.#controlHead < this.#control.length) {
      const frame = this.#control[this.#controlHead]!;
      if (!this.#fits(frame)) {
        this.#congested = true;
        break;
      }
      this.#control[this.#controlHead++] = undefined;
      this.#controlBytes -= wireBytes(frame);
      this.#write(frame);
    }
    if (this.#controlHead === this.#control.length) {
      this.#control = [];
      this.#controlHead = 0;
    }
    for (const [id, frame] of this.#streams) {
      if (this.#congested) break;
      if (!this.#fits(frame)) {
        this.#congested = true;
        break;
      }
      this.#streams.delete(id);
      this.#write(frame);
    }
  }
}

function ignoreWritten(): void {}
