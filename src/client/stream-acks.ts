import { encodeStreamAck } from '../protocol/stream-meta.js';

/** Sends one frame; false when the socket is not open. */
export type SendFrame = (frame: Uint8Array) => void;

/**
 * Credit for the host's stream window (PROTOCOL.md §4.8): counts the bytes of stream frames handed
 * to listeners on one connection and acknowledges them, batched: at once when half of the
 * host's (smallest) window is unacknowledged, otherwise once per turn of the event loop (a burst of frames
 * costs one 16-byte ack).
 */
export class StreamAcks {
  readonly #send: SendFrame;
  #consumed = 0;
  #acked = 0;
  #threshold = Infinity;
  #scheduled = false;
  #enabled = false;

  constructor(send: SendFrame) {
    this.#send = send;
  }

  /** The host speaks fresh streams with this window: acks may go from now on. */
  enable(windowBytes: number): void {
    this.#enabled = true;
    this.#threshold = windowBytes > 0 ? windowBytes / 2 : Infinity;
    this.#schedule();
  }

  /** A stream frame of `bytes` (the whole message) was handed to the listeners. */
  consumed(bytes: number): void {
    this.#consumed = (this.#consumed + bytes) >>> 0;
    if (!this.#enabled) return;
    if (((this.#consumed - this.#acked) >>> 0) >= this.#threshold) this.#flush();
    else this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (!this.#enabled || this.#consumed === this.#acked) return;
    this.#acked = this.#consumed;
    this.#send(encodeStreamAck(this.#consumed));
  }
}
