import type { MessageMeta } from '../modern/types.js';

/**
 * A stream's newest frame in a `SharedArrayBuffer` (cross-origin isolated pages only): the worker
 * writes every frame of its id there as it arrives, and the main thread or an AudioWorklet reads the
 * newest one whenever it likes, with no message at all. A sequence lock keeps a read whole: the
 * writer makes the counter odd, writes, makes it even again; a reader retries while it is odd or
 * moved under it.
 *
 * Layout: int32 counter, int32 length (samples), uint32 the frame's `seq`, int32 0, float64 host
 * time (NaN when none), then `capacity` float32 samples from byte 24.
 */
export class StreamRing {
  /** Bytes before the samples. */
  static readonly HEADER_BYTES = 24;
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly #header: Int32Array;
  readonly #time: Float64Array;
  readonly #samples: Float32Array;
  #lastRead = 0;

  /** Over an existing ring's buffer (e.g. one an AudioWorklet got through its port). */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.capacity = (buffer.byteLength - StreamRing.HEADER_BYTES) >> 2;
    this.#header = new Int32Array(buffer, 0, 4);
    this.#time = new Float64Array(buffer, 16, 1);
    this.#samples = new Float32Array(buffer, StreamRing.HEADER_BYTES, this.capacity);
  }

  /** A ring for frames of up to `capacity` samples. */
  static create(capacity: number): StreamRing {
    return new StreamRing(new SharedArrayBuffer(StreamRing.HEADER_BYTES + capacity * 4));
  }

  /** Writes a frame (the worker does). Samples past the capacity are cut. */
  write(data: ArrayLike<number>, seq: number, time: number | undefined): void {
    const count = Math.min(data.length, this.capacity);
    const counter = Atomics.add(this.#header, 0, 1) + 1; // odd: writing
    this.#samples.set(data.length > count ? Array.prototype.slice.call(data, 0, count) : data);
    this.#header[1] = count;
    this.#header[2] = seq | 0;
    this.#time[0] = time ?? Number.NaN;
    Atomics.store(this.#header, 0, counter + 1); // even: whole
  }

  /**
   * Copies the newest frame into `into` (up to its length) and returns its number of samples, or
   * -1 when no frame has come since the last read.
   */
  read(into: Float32Array): number {
    for (;;) {
      const before = Atomics.load(this.#header, 0);
      if (before === this.#lastRead || (before & 1) === 1) {
        if ((before & 1) === 0) return -1;
        continue;
      }
      const count = Math.min(this.#header[1]!, into.length);
      into.set(this.#samples.subarray(0, count));
      if (Atomics.load(this.#header, 0) !== before) continue;
      this.#lastRead = before;
      return count;
    }
  }

  /** The `seq` of the newest frame written (0 before the first). */
  get seq(): number {
    return this.#header[2]! >>> 0;
  }

  /** The host time of the newest frame, when it had one. */
  get time(): number | undefined {
    const time = this.#time[0]!;
    return Number.isNaN(time) ? undefined : time;
  }
}

/** The worker's rings, by stream id: each frame of an id with a ring is written to it. */
export class StreamRings {
  readonly #rings = new Map<string, StreamRing>();

  add(id: string, buffer: SharedArrayBuffer): void {
    this.#rings.set(id, new StreamRing(buffer));
  }

  write(id: string, data: unknown, meta: MessageMeta): void {
    const ring = this.#rings.get(id);
    if (ring === undefined || !(data instanceof Float32Array || data instanceof Int16Array || data instanceof Int32Array || data instanceof Float64Array)) return;
    ring.write(data, meta.seq ?? 0, meta.time);
  }
}
