/** Milliseconds a delay sample counts towards the base delay (so the base follows a path that got slower). */
const BASE_PERIOD_MS = 2000;

/** Sizes of a {@link StreamCredit} window. */
export interface CreditWindow {
  /** The smallest window (bytes); 0: no limit at all. */
  min: number;
  /** The largest window (bytes). */
  max: number;
  /** Milliseconds frames may wait in buffers beyond the path's own delay (0: the window stays at `min`). */
  latency: number;
}

/**
 * Credit-based flow control of one connection's stream frames (PROTOCOL.md §4.8): the host keeps
 * at most a window of stream frames in flight, counted from what it wrote to what the page says it
 * has handed to its listeners (cumulative StreamAck, mod 2^32).
 *
 * The window adapts as LEDBAT does (RFC 6817), with the page's listeners as the bottleneck: each
 * ack gives a delay (write → ack of it); the smallest over the last 2–4 s is the path's own delay,
 * the rest is queueing. While frames wait for credit and the queueing delay is below `latency`,
 * the window grows (by up to the acknowledged bytes: doubling per round trip); above it, it
 * shrinks. So a fast page gets a full pipe, and a slow or stalled one never has more than about
 * `latency` ms of frames (or `min` bytes) queued ahead of the newest.
 */
export class StreamCredit {
  readonly #limits: CreditWindow;
  readonly #now: () => number;
  /** Bytes written since the connection opened (not wrapped: exact far past any session). */
  #sent = 0;
  /** Bytes the page acknowledged (not wrapped). */
  #acked = 0;
  /** Bytes counted as sent that the page will never see (discarded before they were written). */
  #discarded = 0;
  /** Writes not yet acknowledged: where each ends in the page's byte count, and when it went. */
  #writes: { end: number; at: number }[] = [];
  #writesHead = 0;
  #baseDelay = Infinity;
  #previousBaseDelay = Infinity;
  #basePeriodStart = -Infinity;
  /** Set when a frame had to wait for credit since the last ack: only then may the window grow. */
  #limited = false;
  #window: number;

  constructor(limits: CreditWindow, now: () => number = () => performance.now()) {
    this.#limits = limits;
    this.#now = now;
    this.#window = limits.min;
  }

  /** Bytes written and not yet acknowledged (nor discarded). */
  get inFlight(): number {
    return Math.max(0, this.#sent - this.#acked - this.#discarded);
  }

  /** The window now (bytes); 0: no limit. */
  get window(): number {
    return this.#window;
  }

  /**
   * Whether a frame of `bytes` may go now. An empty window takes any frame, however large, so a
   * frame bigger than the window still goes (alone).
   */
  allows(bytes: number): boolean {
    if (this.#limits.min === 0) return true;
    const inFlight = this.inFlight;
    if (inFlight === 0 || inFlight + bytes <= this.#window) return true;
    this.#limited = true;
    return false;
  }

  /** A frame of `bytes` was handed to the socket. */
  spend(bytes: number): void {
    this.#sent += bytes;
    if (this.#limits.min !== 0 && this.#limits.latency !== 0) this.#writes.push({ end: this.#sent - this.#discarded, at: this.#now() });
  }

  /** A frame of `bytes` that was spent never reaches the page (replaced while it waited for the socket). */
  refund(bytes: number): void {
    this.#discarded += bytes;
  }

  /**
   * The page has handed `consumed` bytes (cumulative, mod 2^32) to its listeners. False, and
   * nothing changes, when that is more than was written: a broken or forged ack.
   */
  ack(consumed: number): boolean {
    const delta = (consumed - this.#acked) >>> 0;
    if (delta > this.inFlight) return false;
    this.#acked += delta;
    if (this.#limits.min !== 0 && this.#limits.latency !== 0) this.#adapt(delta);
    return true;
  }

  #adapt(bytes: number): void {
    const delay = this.#sampleDelay();
    if (delay === undefined || bytes === 0) return;
    const base = Math.min(this.#baseDelay, this.#previousBaseDelay);
    const offTarget = Math.max(-1, (this.#limits.latency - (delay - base)) / this.#limits.latency);
    // Grow only when the window was what held frames back; shrink whenever the queue is too long.
    if (offTarget > 0 && !this.#limited) return;
    this.#limited = false;
    const next = this.#window + offTarget * bytes;
    this.#window = Math.round(Math.min(this.#limits.max, Math.max(this.#limits.min, next)));
  }

  /** The delay of the newest write this ack covers (write → the page's ack of it), and the base delay updated. */
  #sampleDelay(): number | undefined {
    let covered: { end: number; at: number } | undefined;
    while (this.#writesHead < this.#writes.length && this.#writes[this.#writesHead]!.end <= this.#acked) covered = this.#writes[this.#writesHead++];
    if (this.#writesHead > 1024 && this.#writesHead * 2 > this.#writes.length) {
      this.#writes = this.#writes.slice(this.#writesHead);
      this.#writesHead = 0;
    }
    if (covered === undefined) return undefined;
    const now = this.#now();
    if (now - this.#basePeriodStart > BASE_PERIOD_MS) {
      this.#previousBaseDelay = this.#baseDelay;
      this.#baseDelay = Infinity;
      this.#basePeriodStart = now;
    }
    const delay = now - covered.at;
    this.#baseDelay = Math.min(this.#baseDelay, delay);
    return delay;
  }
}
