import { Opcode } from '../../protocol/hise-framing.js';

/** One page message on its way to HISE. */
export interface ToHise {
  readonly opcode: number;
  readonly payload: Uint8Array;
}

/**
 * Keeps a text message from following a binary one too closely on the way to HISE: HISE's parser
 * keeps one buffer per read batch (~5 ms), so a text frame read in the same batch as a binary frame
 * is delivered as that buffer (HISE-BEHAVIOUR.md, "WebSocket"). A text message waits until `gap`
 * milliseconds after the last binary one; whatever comes after it waits behind it (order is kept).
 * At most `maxBytes` wait; past that, `add` refuses.
 */
export class HisePacer {
  readonly #gap: number;
  readonly #maxBytes: number;
  readonly #write: (message: ToHise) => void;
  readonly #held: ToHise[] = [];
  #heldBytes = 0;
  #textAfter = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(gap: number, maxBytes: number, write: (message: ToHise) => void) {
    this.#gap = gap;
    this.#maxBytes = maxBytes;
    this.#write = write;
  }

  /** @returns false when the message would pass `maxBytes` of waiting messages (it is not kept) */
  add(message: ToHise): boolean {
    if (this.#held.length === 0 && !this.#mustWait(message)) {
      this.#send(message);
      return true;
    }
    if (this.#heldBytes + message.payload.length > this.#maxBytes) return false;
    this.#held.push(message);
    this.#heldBytes += message.payload.length;
    this.#schedule();
    return true;
  }

  /** Forgets what waits (HISE went away, or the proxy stops). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#held.length = 0;
    this.#heldBytes = 0;
  }

  #mustWait(message: ToHise): boolean {
    return message.opcode === Opcode.Text && performance.now() < this.#textAfter;
  }

  #send(message: ToHise): void {
    this.#write(message);
    if (message.opcode === Opcode.Binary) this.#textAfter = performance.now() + this.#gap;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, this.#textAfter - performance.now()));
  }

  #flush(): void {
    this.#timer = undefined;
    while (this.#held.length > 0) {
      const next = this.#held[0]!;
      if (this.#mustWait(next)) return this.#schedule();
      this.#held.shift();
      this.#heldBytes -= next.payload.length;
      this.#send(next);
    }
  }
}
