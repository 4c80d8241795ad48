/** Milliseconds over which the page's consumption rate is measured. */
const RATE_BUCKET_MS = 50;
/** Buckets kept; the fastest of them sets the rate (a pause of the producer does not shrink the window). */
const RATE_BUCKETS = 4;

/**
 * Credit-based flow control of one connection's stream frames (PROTOCOL.md §4.8): the host keeps
 * at most a window of stream frames in flight, counted from what it wrote to what the page says it
 * has handed to its listeners (cumulative StreamAck, mod 2^32). The window is `minWindow` bytes,
 * or what the page consumes in `latency` ms at its measured rate when that is more: a fast page
 * is never held back by a fixed window, and a slow one never has more than about `latency` ms of
 * frames queued ahead of the newest.
 */
export class StreamCredit {
  /** The smallest window (bytes); 0: no limit at all. */
  readonly minWindow: number;
  readonly #latency: number;
  readonly #now: () => number;
  /** Bytes written since the connection opened (mod 2^32), as the page counts them. */
  #sent = 0;
  /** The page's last cumulative ack (mod 2^32). */
  #acked = 0;
  /** Bytes counted as sent that the page will never see (discarded before they were written). */
  #discarded = 0;
  #bucketStart: number | undefined;
  #bucketBytes = 0;
  #rates: number[] = [];
  #window: number;

  constructor(minWindow: number, latency: number, now: () => number = () => performance.now()) {
    this.minWindow = minWindow;
    this.#latency = latency;
    this.#now = now;
    this.#window = minWindow;
  }

  /** Bytes written and not yet acknowledged (nor discarded). */
  get inFlight(): number {
    return Math.max(0, ((this.#sent - this.#acked) >>> 0) - this.#discarded);
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
    if (this.minWindow === 0) return true;
    const inFlight = this.inFlight;
    return inFlight === 0 || inFlight + bytes <= this.#window;
  }

  /** A frame of `bytes` was handed to the socket. */
  spend(bytes: number): void {
    this.#sent = (this.#sent + bytes) >>> 0;
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
    const total = (this.#sent - this.#acked) >>> 0;
    const delta = (consumed - this.#acked) >>> 0;
    if (delta > total) return false;
    this.#acked = consumed >>> 0;
    // Discarded bytes were counted as sent but are never acknowledged: once the page has caught
    // up with everything else, forget them.
    if (((this.#sent - this.#acked) >>> 0) <= this.#discarded) this.#discarded = (this.#sent - this.#acked) >>> 0;
    this.#measure(delta);
    return true;
  }

  #measure(bytes: number): void {
    if (this.#latency === 0 || this.minWindow === 0) return;
    const now = this.#now();
    if (this.#bucketStart === undefined) {
      this.#bucketStart = now;
      return;
    }
    this.#bucketBytes += bytes;
    const elapsed = now - this.#bucketStart;
    if (elapsed < RATE_BUCKET_MS) return;
    this.#rates.push(this.#bucketBytes / elapsed);
    if (this.#rates.length > RATE_BUCKETS) this.#rates.shift();
    this.#bucketStart = now;
    this.#bucketBytes = 0;
    this.#window = Math.max(this.minWindow, Math.round(Math.max(...this.#rates) * this.#latency));
  }
}
