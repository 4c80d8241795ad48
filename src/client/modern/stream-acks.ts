import { encodeStreamAck } from '../../protocol/stream-meta.js';

/** Sends one frame; false when the socket is not open. */
export type SendFrame = (frame: Uint8Array) => void;

/** Milliseconds between looks for the end of a burst (the browser's shortest timer). */
const BURST_CHECK_MS = 1;
/** Milliseconds consumed bytes may wait for their ack while frames keep coming (below half the window). */
const MAX_ACK_DELAY_MS = 2;

/**
 * Credit for the host's stream window (PROTOCOL.md §4.8): counts the bytes of stream frames handed
 * to listeners on one connection and acknowledges them, batched: at once when half of the host's
 * window (as it last said: StreamsReady, then StreamWindow) is unacknowledged, otherwise at the end
 * of a burst (no frame consumed for a timer tick) or {@link MAX_ACK_DELAY_MS} after the first
 * unacknowledged one. So a full window never waits for a round trip, and a page that keeps up
 * sends one 16-byte ack per half window or burst, not one per frame.
 */
export class StreamAcks {
  readonly #send: SendFrame;
  #consumed = 0;
  #acked = 0;
  #threshold = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the burst timer was set, and when a frame was last consumed (ms, page clock). */
  #armedAt = 0;
  #lastAt = 0;
  /** When the oldest unacknowledged bytes were consumed. */
  #pendingSince = 0;
  #enabled = false;

  constructor(send: SendFrame) {
    this.#send = send;
  }

  /** The host speaks fresh streams with this window: acks may go from now on. */
  enable(windowBytes: number): void {
    this.#enabled = true;
    this.resize(windowBytes);
    this.#flush(); // what was consumed before the host said so
  }

  /** The host's window is now `windowBytes` (StreamWindow): ack at half of it. */
  resize(windowBytes: number): void {
    this.#threshold = windowBytes > 0 ? windowBytes / 2 : Infinity;
    if (this.#enabled && ((this.#consumed - this.#acked) >>> 0) >= this.#threshold) this.#flush();
  }

  /** A stream frame of `bytes` (the whole message) was handed to the listeners. */
  consumed(bytes: number): void {
    this.#lastAt = performance.now();
    if (this.#consumed === this.#acked) this.#pendingSince = this.#lastAt;
    this.#consumed = (this.#consumed + bytes) >>> 0;
    if (!this.#enabled) return;
    if (((this.#consumed - this.#acked) >>> 0) >= this.#threshold) this.#flush();
    else this.#schedule();
  }

  /** Stops the burst timer (the connection has gone). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#enabled = false;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#armedAt = performance.now();
    this.#timer = setTimeout(this.#look, BURST_CHECK_MS);
  }

  readonly #look = (): void => {
    this.#timer = undefined;
    const burstGoesOn = this.#lastAt > this.#armedAt;
    if (burstGoesOn && performance.now() - this.#pendingSince < MAX_ACK_DELAY_MS) this.#schedule();
    else this.#flush();
  };

  #flush(): void {
    if (!this.#enabled || this.#consumed === this.#acked) return;
    this.#acked = this.#consumed;
    this.#send(encodeStreamAck(this.#consumed));
  }
}
