// What the page draws, computed from the blocks as they play: a triggered scope window, a
// windowed FFT and peak/RMS meters. Written into the arrays registered with the WebView, so
// `updateBuffer` sends them without another copy on our side.
import FFT from 'fft.js';
import { FFT_SIZE, Meters, SCOPE_FRAMES } from './public/streams.js';

/** RMS integration time, as on a VU-style meter. */
export const RMS_SECONDS = 0.3;
/** Floor of the spectrum in dBFS; quieter bins are clamped so the page gets no −Infinity. */
export const SPECTRUM_FLOOR_DB = -140;
/** History kept: enough for the FFT and for a scope window plus a trigger search before it. */
const HISTORY = Math.max(FFT_SIZE, 2 * SCOPE_FRAMES);

export class Analysis {
  scopeLeft = new Float32Array(SCOPE_FRAMES);
  scopeRight = new Float32Array(SCOPE_FRAMES);
  spectrum = new Float32Array(FFT_SIZE / 2);
  meters = new Float32Array(Meters.LENGTH);
  #left = new Float32Array(HISTORY);
  #right = new Float32Array(HISTORY);
  #write = 0; // next ring index
  #peak = [0, 0];
  #blockSums; // per-block sum of squares, per channel, over the RMS window
  #blockSumIndex = 0;
  #fft = new FFT(FFT_SIZE);
  #window = hann(FFT_SIZE);
  #fftIn = new Float64Array(FFT_SIZE);
  #fftOut;
  #seq = 0;

  constructor(sampleRate, blockFrames) {
    const blocks = Math.max(1, Math.round((RMS_SECONDS * sampleRate) / blockFrames));
    this.blockFrames = blockFrames;
    this.#blockSums = [new Float64Array(blocks), new Float64Array(blocks)];
    this.#fftOut = this.#fft.createComplexArray();
  }

  /** Takes one played block. */
  addBlock(left, right) {
    const n = left.length;
    let peakL = this.#peak[0];
    let peakR = this.#peak[1];
    let sumL = 0;
    let sumR = 0;
    let w = this.#write;
    for (let i = 0; i < n; i++) {
      const l = left[i];
      const r = right[i];
      this.#left[w] = l;
      this.#right[w] = r;
      if (++w === HISTORY) w = 0;
      const al = Math.abs(l);
      const ar = Math.abs(r);
      if (al > peakL) peakL = al;
      if (ar > peakR) peakR = ar;
      sumL += l * l;
      sumR += r * r;
    }
    this.#write = w;
    this.#peak[0] = peakL;
    this.#peak[1] = peakR;
    const k = this.#blockSumIndex;
    this.#blockSums[0][k] = sumL;
    this.#blockSums[1][k] = sumR;
    this.#blockSumIndex = (k + 1) % this.#blockSums[0].length;
  }

  /** Computes one display frame into the registered arrays; peaks restart for the next frame. */
  frame(positionSeconds) {
    this.#fillScope();
    this.#fillSpectrum();
    const m = this.meters;
    const frames = this.#blockSums[0].length * this.blockFrames;
    m[Meters.SEQ] = this.#seq++;
    m[Meters.POSITION] = positionSeconds;
    m[Meters.PEAK_LEFT] = this.#peak[0];
    m[Meters.PEAK_RIGHT] = this.#peak[1];
    m[Meters.RMS_LEFT] = Math.sqrt(sum(this.#blockSums[0]) / frames);
    m[Meters.RMS_RIGHT] = Math.sqrt(sum(this.#blockSums[1]) / frames);
    this.#peak[0] = this.#peak[1] = 0;
  }

  /**
   * Like a hardware scope: start the window at a rising zero crossing of the mid signal, so a
   * steady tone stands still instead of crawling across the screen.
   */
  #fillScope() {
    const newest = this.#write - SCOPE_FRAMES; // latest start whose window is all played
    let start = newest; // untriggered (silence, noise without a crossing): the newest window
    for (let s = newest; s > newest - SCOPE_FRAMES; s--) {
      if (this.#mid(s - 1) <= 0 && this.#mid(s) > 0) {
        start = s;
        break;
      }
    }
    for (let i = 0; i < SCOPE_FRAMES; i++) {
      const j = ring(start + i);
      this.scopeLeft[i] = this.#left[j];
      this.scopeRight[i] = this.#right[j];
    }
  }

  #mid(index) {
    const j = ring(index);
    return this.#left[j] + this.#right[j];
  }

  #fillSpectrum() {
    const input = this.#fftIn;
    const base = this.#write - FFT_SIZE;
    for (let i = 0; i < FFT_SIZE; i++) {
      const j = ring(base + i);
      input[i] = 0.5 * (this.#left[j] + this.#right[j]) * this.#window[i];
    }
    this.#fft.realTransform(this.#fftOut, input);
    // Scaled so a full-scale sine reads 0 dBFS: the Hann window's coherent gain is 1/2.
    const scale = 4 / FFT_SIZE;
    const out = this.#fftOut;
    for (let k = 0; k < this.spectrum.length; k++) {
      const re = out[2 * k];
      const im = out[2 * k + 1];
      const magnitude = Math.sqrt(re * re + im * im) * scale;
      this.spectrum[k] = Math.max(SPECTRUM_FLOOR_DB, 20 * Math.log10(magnitude || Number.MIN_VALUE));
    }
  }
}

function ring(index) {
  return ((index % HISTORY) + HISTORY) % HISTORY;
}

function hann(n) {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

function sum(values) {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
