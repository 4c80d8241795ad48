import { WebViewError } from '../errors.js';

/** Bytes of this instance's frames kept until the hub acknowledges them (resent after a failover). */
export const MAX_RELAY_LOG_BYTES = 16 * 1024 * 1024;

/** A string or JSON frame kept until the hub acknowledges it. Stream frames (typed arrays) are never kept: a failover drops them, as a page's reconnect does. */
interface LoggedFrame {
  seq: number;
  frame: Uint8Array;
}

/** A member's frames the hub has not acknowledged yet, bounded by {@link MAX_RELAY_LOG_BYTES}; resent after a re-join. */
export class RelayLog {
  readonly #entries: LoggedFrame[] = [];
  #bytes = 0;
  #overflowReported = false;
  readonly #report: (error: WebViewError) => void;

  constructor(report: (error: WebViewError) => void) {
    this.#report = report;
  }

  /** The frames, oldest first. */
  get frames(): Uint8Array[] {
    return this.#entries.map((entry) => entry.frame);
  }

  /** Keeps a frame until the hub acknowledges it; past the bound the oldest go (reported once per episode). */
  remember(frame: Uint8Array, seq: number): void {
    this.#entries.push({ seq, frame });
    this.#bytes += frame.byteLength;
    while (this.#bytes > MAX_RELAY_LOG_BYTES && this.#entries.length > 0) {
      this.#bytes -= this.#entries.shift()!.frame.byteLength;
      if (!this.#overflowReported) {
        this.#overflowReported = true;
        this.#report(new WebViewError('RELAY_LOG_FULL', `over ${MAX_RELAY_LOG_BYTES} bytes waited for the hub; the oldest messages to the other instances were dropped`));
      }
    }
  }

  /** The hub has every frame up to `seq`. */
  acknowledged(seq: number): void {
    while (this.#entries.length > 0 && this.#entries[0]!.seq <= seq) this.#bytes -= this.#entries.shift()!.frame.byteLength;
    if (this.#entries.length === 0) this.#overflowReported = false;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#bytes = 0;
  }
}
