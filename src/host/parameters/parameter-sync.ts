import type { Connection } from '../pages/connection.js';

/** What a connection's sync asks of its owner when it flushes. */
export interface SyncHost {
  /** Milliseconds between two value frames to one connection (one display frame). */
  readonly interval: number;
  /** Bytes waiting for a connection above which the flush waits for the next interval. */
  readonly highWaterMark: number;
  /** True while this connection's page holds a gesture on `id` (its value waits for the gesture's end). */
  held(connection: Connection, id: string): boolean;
  /** Sends the latest values of `ids` to the connection. */
  send(connection: Connection, ids: string[]): void;
}

/**
 * The parameter values one connection still has to get: a set of dirty ids, not a queue, flushed
 * at most once per `interval` (the latest value of each id wins, however often it changed), and
 * not while the socket is over `highWaterMark` (it waits for the next interval instead). A single
 * change after a quiet interval goes out in the same turn of the event loop.
 */
export class ParameterSync {
  readonly connection: Connection;
  /** True once the page has the specs (at once for extended pages; after its `sync` in HISE mode). */
  synced: boolean;
  readonly #dirty = new Set<string>();
  readonly #host: SyncHost;
  #lastFlush = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #microtask = false;
  #closed = false;

  constructor(connection: Connection, host: SyncHost, synced: boolean) {
    this.connection = connection;
    this.#host = host;
    this.synced = synced;
  }

  /** Marks `id` as changed for this page and schedules a flush. */
  mark(id: string): void {
    if (!this.synced || this.#closed) return;
    this.#dirty.add(id);
    this.#schedule();
  }

  /** Stops for good (the connection closed). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#dirty.clear();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#microtask) return;
    const wait = this.#lastFlush + this.#host.interval - performance.now();
    if (wait <= 0) {
      // Within this turn: several changes made together (a preset) go as one frame.
      this.#microtask = true;
      queueMicrotask(() => {
        this.#microtask = false;
        this.#flush();
      });
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, wait);
    }
  }

  #flush(): void {
    if (this.#closed || this.#dirty.size === 0) return;
    if (this.connection.controlQueueBytes > this.#host.highWaterMark) { // never held back by streams waiting for credit
      this.#lastFlush = performance.now();
      this.#schedule(); // the socket drains first; the values stay dirty, the latest wins
      return;
    }
    const ids: string[] = [];
    for (const id of this.#dirty) if (!this.#host.held(this.connection, id)) ids.push(id);
    if (ids.length === 0) return; // all held: the gestures' ends mark them again
    for (const id of ids) this.#dirty.delete(id);
    this.#lastFlush = performance.now();
    this.#host.send(this.connection, ids);
  }
}
