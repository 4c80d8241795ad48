// The playhead: which source plays, where, how loud, and whether it moves. Renders one block at a
// time into caller-owned arrays; loops at the end of the source.
import { MAX_GAIN_DB, MUTE_DB } from './public/streams.js';

export class Player {
  playing = true;
  /** Source frame the next block starts at. */
  position = 0;
  gainDb = 0;
  #gain = 1;

  /** @param {{ name: string, sampleRate: number, left: Float32Array, right: Float32Array }} source */
  constructor(source) {
    this.source = source;
  }

  get length() {
    return this.source.left.length;
  }

  get seconds() {
    return this.position / this.source.sampleRate;
  }

  /** Replaces the source, keeping the position when it still fits. */
  setSource(source) {
    this.source = source;
    if (this.position >= this.length) this.position = 0;
  }

  seek(seconds) {
    const frame = Math.round(seconds * this.source.sampleRate);
    this.position = Math.min(Math.max(0, frame), this.length - 1);
  }

  /** Sets the gain in dB, clamped to [MUTE_DB, MAX_GAIN_DB]; MUTE_DB is silence. */
  setGainDb(db) {
    this.gainDb = Math.min(Math.max(MUTE_DB, db), MAX_GAIN_DB);
  }

  /**
   * Fills `left`/`right` with the next block (silence while paused) and advances.
   * @returns the source frame the block started at, or -1 when paused
   */
  render(left, right) {
    const n = left.length;
    if (!this.playing) {
      left.fill(0);
      right.fill(0);
      return -1;
    }
    const start = this.position;
    const { left: srcL, right: srcR } = this.source;
    const length = this.length;
    // Ramp the gain over the block so moving the slider does not click; at a steady gain the
    // factor is the same number every sample (1 at 0 dB), so samples pass through exactly.
    const from = this.#gain;
    const to = this.gainDb <= MUTE_DB ? 0 : 10 ** (this.gainDb / 20);
    const step = (to - from) / n;
    let p = start;
    for (let i = 0; i < n; i++) {
      const g = step === 0 ? to : from + step * (i + 1);
      left[i] = srcL[p] * g;
      right[i] = srcR[p] * g;
      if (++p === length) p = 0;
    }
    this.#gain = to;
    this.position = p;
    return start;
  }
}
