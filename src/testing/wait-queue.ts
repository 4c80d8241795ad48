import { TestHostError } from './errors.js';

/**
 * Items that arrive before anyone waits for them, and waiters that arrive before the items: each
 * item goes to the oldest waiter, else waits (at most `max`: the oldest item goes, or the new one
 * is refused).
 */
export class WaitQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: { resolve: (item: T) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }[] = [];
  readonly #max: number;
  readonly #overflow: 'drop-oldest' | 'refuse';
  #closed: Error | undefined;

  constructor(max: number, overflow: 'drop-oldest' | 'refuse') {
    this.#max = max;
    this.#overflow = overflow;
  }

  /** Hands `item` to the oldest waiter or keeps it; `false` when it was refused (full, or closed). */
  push(item: T): boolean {
    if (this.#closed !== undefined) return false;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      waiter.resolve(item);
      return true;
    }
    if (this.#items.length >= this.#max) {
      if (this.#overflow === 'refuse') return false;
      this.#items.shift();
    }
    this.#items.push(item);
    return true;
  }

  /** The oldest kept item, or the next to arrive within `timeout` ms (else a `TIMEOUT` rejection naming `what`). */
  next(timeout: number, what: string): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift()!);
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new TestHostError('TIMEOUT', `waited ${timeout} ms for ${what}`));
        }, timeout),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Rejects every waiter with `error`, refuses what comes later, and returns the items nobody took. */
  close(error: Error): T[] {
    this.#closed = error;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    return this.#items.splice(0);
  }
}
