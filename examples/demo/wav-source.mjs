// Decodes a WAV file into the same looping stereo source the synth produces. Integer samples are
// scaled by 2^(bits−1) exactly as written (int16/32768, int24/8388608, int32/2^31), so every
// 16- and 24-bit sample survives the trip to float32 bit for bit.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import wavefile from 'wavefile';

const { WaveFile } = wavefile;

/** Full scale per bit depth code of `wavefile`; 1 for float data, which is already in −1…1. */
const FULL_SCALE = Object.freeze({ 16: 2 ** 15, 24: 2 ** 23, 32: 2 ** 31, '32f': 1 });
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192_000;
/** Longest file loaded whole into memory (10 minutes of stereo at 192 kHz is ~0.9 GB of float32). */
export const MAX_SECONDS = 600;

/** A file the demo refuses, with a message fit for one line on stderr. */
export class WavError extends Error {
  name = 'WavError';
}

/**
 * Reads and decodes `path`: 16/24/32-bit integer or 32-bit float, mono (played on both sides) or stereo.
 * @returns {Promise<{ name: string, sampleRate: number, left: Float32Array, right: Float32Array }>}
 * @throws {WavError} for a missing, unreadable or unsupported file
 */
export async function loadWav(path) {
  let bytes;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new WavError(error.code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${error.message}`);
  }
  return decodeWav(bytes, basename(path));
}

/** Decodes WAV bytes; see {@link loadWav}. */
export function decodeWav(bytes, name = 'file') {
  let wav;
  try {
    wav = new WaveFile(bytes);
  } catch (error) {
    throw new WavError(`${name} is not a WAV file wavefile can read (${error.message})`);
  }
  const { numChannels, sampleRate } = wav.fmt;
  const scale = FULL_SCALE[wav.bitDepth];
  if (scale === undefined) {
    throw new WavError(`${name}: ${describeDepth(wav.bitDepth)} is not supported (use 16, 24 or 32-bit integer, or 32-bit float)`);
  }
  if (numChannels !== 1 && numChannels !== 2) throw new WavError(`${name}: ${numChannels} channels; only mono and stereo are supported`);
  if (!(sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE)) {
    throw new WavError(`${name}: sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`);
  }
  const channels = wav.getSamples(false, Float64Array);
  const planes = ArrayBuffer.isView(channels) ? [channels] : channels; // mono comes back as one array
  const frames = planes[0].length;
  if (frames === 0) throw new WavError(`${name} holds no samples`);
  if (frames > MAX_SECONDS * sampleRate) throw new WavError(`${name} is longer than ${MAX_SECONDS} s`);
  const left = toFloat32(planes[0], scale);
  const right = numChannels === 2 ? toFloat32(planes[1], scale) : left;
  return { name, sampleRate, left, right };
}

function toFloat32(samples, scale) {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] / scale;
  return out;
}

function describeDepth(code) {
  return /^\d+$/.test(code) ? `${code}-bit integer audio` : `bit depth '${code}'`;
}
