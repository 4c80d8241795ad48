/**
 * Magnitudes of a frame's spectrum, in dB, for the spectrum component: a Hann window and an
 * in-place radix-2 FFT over the largest power of two of samples the frame holds (at most `maxSize`).
 */
export class SpectrumAnalyser {
  #size = 0;
  #re = new Float32Array(0);
  #im = new Float32Array(0);
  #window = new Float32Array(0);
  /** dB of bins 0 … size/2 − 1 of the last frame analysed. */
  magnitudes = new Float32Array(0);

  constructor(readonly maxSize = 4096) {}

  /** Analyses `samples`; returns the bins (empty for fewer than 2 samples). */
  analyse(samples: ArrayLike<number>): Float32Array {
    const size = largestPowerOfTwo(Math.min(samples.length, this.maxSize));
    if (size < 2) return (this.magnitudes = new Float32Array(0));
    if (size !== this.#size) this.#resize(size);
    const re = this.#re;
    const im = this.#im;
    for (let i = 0; i < size; i++) {
      re[i] = samples[i]! * this.#window[i]!;
      im[i] = 0;
    }
    fft(re, im);
    const scale = 2 / size;
    for (let i = 0; i < size / 2; i++) this.magnitudes[i] = 20 * Math.log10(Math.hypot(re[i]!, im[i]!) * scale + 1e-9);
    return this.magnitudes;
  }

  #resize(size: number): void {
    this.#size = size;
    this.#re = new Float32Array(size);
    this.#im = new Float32Array(size);
    this.magnitudes = new Float32Array(size / 2);
    this.#window = Float32Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  }
}

function largestPowerOfTwo(n: number): number {
  return n < 1 ? 0 : 2 ** Math.floor(Math.log2(n));
}

/** In-place iterative radix-2 FFT (Cooley–Tukey); the length is a power of two. */
function fft(re: Float32Array, im: Float32Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let length = 2; length <= n; length <<= 1) {
    const angle = (-2 * Math.PI) / length;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += length) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < length / 2; k++) {
        const a = start + k;
        const b = a + length / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}
