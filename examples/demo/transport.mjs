// A real-time clock standing in for an audio device: it advances by the wall clock in whole blocks,
// and separately ticks display frames. Both are derived from one start time, so timer jitter never
// accumulates: a late tick renders more blocks, an early one fewer.

/** Display frames per second: what a 60 Hz monitor draws. */
export const DISPLAY_RATE = 60;
/** Blocks rendered at most in one tick; further behind (a suspended laptop) we skip ahead instead. */
export const MAX_CATCH_UP_BLOCKS = 32;

export class Transport {
  #timer;
  #startedAt = 0;
  #blocksDone = 0;
  #framesDone = 0;
  /** Blocks dropped by catching up, i.e. time the "device" lost. */
  blocksSkipped = 0;

  /**
   * @param {{ sampleRate: number, blockFrames: number, onBlock: () => void, onFrame: () => void,
   *   now?: () => number }} options `now` in milliseconds (tests pass a fake clock)
   */
  constructor({ sampleRate, blockFrames, onBlock, onFrame, now = () => performance.now() }) {
    this.sampleRate = sampleRate;
    this.blockFrames = blockFrames;
    this.onBlock = onBlock;
    this.onFrame = onFrame;
    this.now = now;
  }

  start() {
    if (this.#timer !== undefined) return;
    this.#startedAt = this.now();
    this.#blocksDone = 0;
    this.#framesDone = 0;
    this.#schedule();
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Renders the blocks that are due, then one display frame if one is due. Public for tests. */
  tick() {
    const elapsed = (this.now() - this.#startedAt) / 1000;
    const blocksDue = Math.floor((elapsed * this.sampleRate) / this.blockFrames) - this.#blocksDone;
    if (blocksDue > MAX_CATCH_UP_BLOCKS) {
      this.blocksSkipped += blocksDue - MAX_CATCH_UP_BLOCKS;
      this.#blocksDone += blocksDue - MAX_CATCH_UP_BLOCKS;
    }
    for (let i = Math.min(blocksDue, MAX_CATCH_UP_BLOCKS); i > 0; i--) {
      this.onBlock();
      this.#blocksDone++;
    }
    const framesDue = Math.floor(elapsed * DISPLAY_RATE);
    if (framesDue > this.#framesDone) {
      this.#framesDone = framesDue; // a late frame is drawn once, not replayed
      this.onFrame();
    }
  }

  #schedule = () => {
    this.tick();
    const elapsed = (this.now() - this.#startedAt) / 1000;
    const nextBlock = ((this.#blocksDone + 1) * this.blockFrames) / this.sampleRate;
    const nextFrame = (this.#framesDone + 1) / DISPLAY_RATE;
    const wait = Math.max(0, (Math.min(nextBlock, nextFrame) - elapsed) * 1000);
    this.#timer = setTimeout(this.#schedule, wait);
  };
}
