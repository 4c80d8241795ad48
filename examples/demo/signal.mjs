// The built-in signals: generated once per sample rate into loops, so seeking is exact and playing
// costs a copy. Deterministic (seeded noise), so two runs stream the same numbers.

const TWO_PI = 2 * Math.PI;
/** Loop lengths in seconds. */
const LENGTH = Object.freeze({ showcase: 12, chord: 6, sweep: 5, noise: 4 });
const SWEEP_FROM_HZ = 20;
const SWEEP_TO_HZ = 20_000;
const HARMONICS = 10;
const NOISE_SEED = 0x9e3779b9;

/** Am9 voicing, low to high, with a pan position each (−1 left … 1 right). */
const CHORD = [
  { hz: 110.0, pan: 0, level: 0.22 },
  { hz: 164.81, pan: -0.5, level: 0.16 },
  { hz: 196.0, pan: 0.45, level: 0.14 },
  { hz: 261.63, pan: -0.3, level: 0.12 },
  { hz: 493.88, pan: 0.6, level: 0.1 },
];

/** The signal names `createSignal` knows, in the order the page lists them. */
export const SIGNALS = Object.freeze(['showcase', 'chord', 'sweep', 'noise']);

/**
 * A looping stereo source rendered at `sampleRate`.
 * @returns {{ name: string, sampleRate: number, left: Float32Array, right: Float32Array }}
 */
export function createSignal(name, sampleRate) {
  const seconds = LENGTH[name];
  if (seconds === undefined) throw new Error(`unknown signal '${name}' (known: ${SIGNALS.join(', ')})`);
  const frames = Math.round(seconds * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const out = { left, right, sampleRate };
  if (name === 'chord' || name === 'showcase') addChord(out, 0, frames, 3);
  if (name === 'sweep') addSweep(out, 0, frames, 0.5);
  if (name === 'noise') addNoiseBursts(out, 0, frames, 4, 0.6);
  if (name === 'showcase') {
    // A story in three acts: the chord alone, a sweep over it, then a rhythm of noise bursts.
    addSweep(out, 4 * sampleRate, 4 * sampleRate, 0.3);
    addNoiseBursts(out, 8 * sampleRate, 4 * sampleRate, 4, 0.45);
  }
  return { name, ...out };
}

/** Additive tones with a soft attack and a long release, retriggered every `period` seconds. */
function addChord({ left, right, sampleRate }, start, frames, period) {
  const periodFrames = Math.round(period * sampleRate);
  CHORD.forEach((note, n) => {
    const [gl, gr] = panGains(note.pan);
    const attack = 0.02 + 0.12 * n; // strummed: higher notes enter later
    const harmonics = Math.min(HARMONICS, Math.floor(sampleRate / 2 / note.hz)); // nothing above Nyquist
    let phase = 0;
    for (let i = 0; i < frames; i++) {
      const vibrato = 1 + 0.002 * Math.sin((TWO_PI * 5 * i) / sampleRate);
      phase += (TWO_PI * note.hz * vibrato) / sampleRate;
      const env = envelope((i % periodFrames) / sampleRate, attack, period);
      if (env === 0) continue;
      // sin(h·x) by the Chebyshev recurrence: one sin and one cos per sample instead of one per harmonic.
      const s1 = Math.sin(phase);
      const c2 = 2 * Math.cos(phase);
      let previous = 0;
      let current = s1;
      let tone = 0;
      for (let h = 1; h <= harmonics; h++) {
        tone += current / (h * h * 0.6 + 0.4);
        const next = c2 * current - previous;
        previous = current;
        current = next;
      }
      const s = note.level * env * tone;
      left[start + i] += s * gl;
      right[start + i] += s * gr;
    }
  });
}

/** 0 → 1 in `attack`, decays to a sustain, and releases to 0 before the period ends. */
function envelope(t, attack, period) {
  if (t < attack) return t / attack;
  const release = period * 0.8;
  const sustain = 0.55 + 0.45 * Math.exp(-(t - attack) * 3);
  if (t < release) return sustain;
  return Math.max(0, sustain * (1 - (t - release) / (period - release)));
}

/** An exponential sine sweep, slightly wider in the right channel so the scope shows a phase drift. */
function addSweep({ left, right, sampleRate }, start, frames, level) {
  const seconds = frames / sampleRate;
  const k = Math.log(SWEEP_TO_HZ / SWEEP_FROM_HZ);
  const fade = Math.round(0.05 * sampleRate);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    // Phase of a log sweep: integral of f0 · e^(k·t/T).
    const phase = (TWO_PI * SWEEP_FROM_HZ * seconds * (Math.exp((k * t) / seconds) - 1)) / k;
    const edge = Math.min(1, i / fade, (frames - i) / fade);
    left[start + i] += level * edge * Math.sin(phase);
    right[start + i] += level * edge * Math.sin(phase * 1.003);
  }
}

/** Filtered noise hits with an exponential decay, alternating a bright and a dark one. */
function addNoiseBursts({ left, right, sampleRate }, start, frames, perSecond, level) {
  const random = seededRandom(NOISE_SEED);
  const spacing = Math.round(sampleRate / perSecond);
  let lowL = 0;
  let lowR = 0;
  for (let i = 0; i < frames; i++) {
    const hit = Math.floor(i / spacing);
    const t = (i % spacing) / sampleRate;
    const env = Math.exp(-t * (hit % 2 === 0 ? 18 : 9));
    const bright = hit % 2 === 0;
    const nl = random() * 2 - 1;
    const nr = random() * 2 - 1;
    lowL += (nl - lowL) * 0.08;
    lowR += (nr - lowR) * 0.08;
    left[start + i] += level * env * (bright ? nl * 0.7 : lowL * 3);
    right[start + i] += level * env * (bright ? nr * 0.7 : lowR * 3);
  }
}

/** Equal-power pan law. */
function panGains(pan) {
  const angle = ((pan + 1) * Math.PI) / 4;
  return [Math.cos(angle), Math.sin(angle)];
}

/** mulberry32: small, fast and good enough for noise that must repeat. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
