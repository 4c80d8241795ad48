// Plays blocks posted from the page. A jitter buffer: start once PRIME frames are queued, play
// silence on underrun and prime again, and drop the oldest audio when more than MAX is queued,
// so latency stays bounded when the tab was in the background.
const PRIME_FRAMES = 2048;
const MAX_FRAMES = 8192;
const RING = 16384;

class StreamPlayer extends AudioWorkletProcessor {
  left = new Float32Array(RING);
  right = new Float32Array(RING);
  read = 0;
  queued = 0;
  playing = false;
  underruns = 0;

  constructor() {
    super();
    this.port.onmessage = ({ data }) => this.push(data.left, data.right);
  }

  push(left, right) {
    let write = (this.read + this.queued) % RING;
    for (let i = 0; i < left.length; i++) {
      this.left[write] = left[i];
      this.right[write] = right[i];
      write = (write + 1) % RING;
    }
    this.queued += left.length;
    if (this.queued > MAX_FRAMES) {
      const drop = this.queued - PRIME_FRAMES;
      this.read = (this.read + drop) % RING;
      this.queued -= drop;
    }
  }

  process(_inputs, outputs) {
    const [outL, outR] = outputs[0];
    const n = outL.length;
    if (!this.playing && this.queued >= PRIME_FRAMES) this.playing = true;
    if (!this.playing || this.queued < n) {
      if (this.playing) {
        this.playing = false;
        this.underruns++;
        this.port.postMessage({ underruns: this.underruns });
      }
      return true; // outputs are already silent
    }
    for (let i = 0; i < n; i++) {
      outL[i] = this.left[this.read];
      if (outR) outR[i] = this.right[this.read];
      this.read = (this.read + 1) % RING;
    }
    this.queued -= n;
    return true;
  }
}

registerProcessor('stream-player', StreamPlayer);
