/**
 * Credit-based flow control of one connection's stream frames (PROTOCOL.md §4.8): the host keeps
 * at most `windowBytes` of stream frames in flight, counted from what it wrote to what the page
 * says it has handed to its listeners (cumulative StreamAck, mod 2^32).
 */
export class StreamCredit {
  /** Bytes of stream frames that may be in flight at once; 0: no limit. */
  readonly windowBytes: number;
  /** Bytes written since the connection opened (mod 2^32), as the page counts them. */
  #sent = 0;
  /** The page's last cumulative ack (mod 2^32). */
  #acked = 0;
  /** Bytes counted as sent that the page will never see (discarded before they were written). */
  #discarded = 0;

  constructor(windowBytes: number) {
    this.windowBytes = windowBytes;
  }

  /** Bytes written and not yet acknowledged (nor discarded). */
  get inFlight(): number {
    return Math.max(0, ((this.#sent - this.#acked) >>> 0) - this.#discarded);
  }

  /**
   * Whether a frame of `bytes` may go now. An empty window takes any frame, however large, so a
   * frame bigger than the window still goes (alone).
   */
  allows(bytes: number): boolean {
    if (this.windowBytes === 0) return true;
    const inFlight = this.inFlight;
    return inFlight === 0 || inFlight + bytes <= this.windowBytes;
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
    return true;
  }
}
