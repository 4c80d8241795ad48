import { DevError } from './errors.js';

/** The test signals the inspector can stream. */
export const SIGNAL_KINDS = ['sine', 'noise'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** A test signal streamed to one id: `sine:scope`, `noise:noise`. */
export interface SignalSpec {
  kind: SignalKind;
  id: string;
}

/** Sample rate the sine's frequency is computed for, in Hz. */
export const SIGNAL_SAMPLE_RATE = 48_000;
/** Frequency of the sine, in Hz. */
export const SINE_FREQUENCY = 440;
/** Peak amplitude of both signals (−6 dBFS), so a scope shows headroom. */
export const SIGNAL_AMPLITUDE = 0.5;

/**
 * Parses `kind:id` (e.g. `sine:scope`).
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export function parseSignal(text: string): SignalSpec {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const id = colon < 0 ? '' : text.slice(colon + 1);
  if (!(SIGNAL_KINDS as readonly string[]).includes(kind) || id === '') {
    throw new DevError('INVALID_ARGUMENT', `--signal must be <${SIGNAL_KINDS.join('|')}>:<id>, e.g. sine:scope, got ${JSON.stringify(text)}`);
  }
  return { kind: kind as SignalKind, id };
}

/** A source of consecutive blocks of one signal (the sine's phase runs on across blocks). */
export function signalSource(kind: SignalKind): (block: Float32Array) => Float32Array {
  if (kind === 'noise') {
    return (block) => {
      for (let i = 0; i < block.length; i++) block[i] = (Math.random() * 2 - 1) * SIGNAL_AMPLITUDE;
      return block;
    };
  }
  const step = (2 * Math.PI * SINE_FREQUENCY) / SIGNAL_SAMPLE_RATE;
  let phase = 0;
  return (block) => {
    for (let i = 0; i < block.length; i++) {
      block[i] = Math.sin(phase) * SIGNAL_AMPLITUDE;
      phase += step;
    }
    phase %= 2 * Math.PI;
    return block;
  };
}
