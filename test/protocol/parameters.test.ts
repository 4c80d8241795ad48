import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkParameterOp,
  checkSpec,
  checkValue,
  coerceValue,
  decodeFrame,
  defaultText,
  encodeParameterError,
  encodeParameterOp,
  encodeParameterSpecs,
  encodeParameterValues,
  FrameType,
  fromNormalized,
  hiseParameterOpText,
  isHiseParameterMessage,
  ParameterError,
  quantise,
  readParameterJson,
  toNormalized,
  type ParameterSpec,
} from '../../src/protocol/index.js';
import { hex } from '../helpers/node-client.js';

const codeOf = (run: () => unknown): string => {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof ParameterError ? error.code : `not a ParameterError: ${String(error)}`;
  }
};

const gain = checkSpec('gain', { min: -60, max: 12, default: 0, step: 0.1, unit: 'dB' }) as Extract<ParameterSpec, { type: 'number' }>;

describe('parameter specs', () => {
  it('fills in defaults for each kind', () => {
    expect(checkSpec('g', { min: -60, max: 12 })).toEqual({ type: 'number', min: -60, max: 12, default: 0, step: 0, unit: '', label: '', skew: 'linear' });
    expect(checkSpec('f', { min: 20, max: 20000, skew: 'log' })).toMatchObject({ default: 20, skew: 'log' });
    expect(checkSpec('m', { choices: ['a', 'b'] })).toEqual({ type: 'choice', choices: ['a', 'b'], default: 'a', label: '' });
    expect(checkSpec('b', { type: 'boolean' })).toEqual({ type: 'boolean', default: false, label: '' });
  });

  it('refuses specs it cannot use with INVALID_PARAMETER_SPEC', () => {
    for (const bad of [
      null,
      { min: 1, max: 1 },
      { min: 0, max: Number.NaN },
      { min: 0, max: 1, default: 2 },
      { min: 0, max: 1, step: -1 },
      { min: 0, max: 1, skew: 2 },
      { min: 0, max: 1, skew: 'cubic' },
      { choices: [] },
      { choices: ['a', 'a'] },
      { choices: ['a'], default: 'b' },
      { type: 'boolean', default: 1 },
      { type: 'dial', min: 0, max: 1 },
      { min: 0, max: 1, format: 'x' },
    ]) {
      expect(codeOf(() => checkSpec('p', bad)), JSON.stringify(bad)).toBe('INVALID_PARAMETER_SPEC');
    }
  });

  it('quantises to the step from min and clamps', () => {
    expect(quantise(gain, -6.04)).toBe(-6);
    expect(quantise(gain, 0.1 + 0.2)).toBe(0.3);
    expect(quantise(gain, 100)).toBe(12);
    expect(quantise(gain, -0)).toBe(0);
    expect(Object.is(quantise(gain, -0.01), 0)).toBe(true);
  });

  it('a value from outside is checked: type, NaN, range; the host’s own set clamps', () => {
    expect(checkValue('gain', gain, -6.04)).toBe(-6);
    expect(codeOf(() => checkValue('gain', gain, '3'))).toBe('INVALID_PARAMETER_VALUE');
    expect(codeOf(() => checkValue('gain', gain, Number.NaN))).toBe('INVALID_PARAMETER_VALUE');
    expect(codeOf(() => checkValue('gain', gain, null))).toBe('INVALID_PARAMETER_VALUE');
    expect(codeOf(() => checkValue('gain', gain, 12.5))).toBe('PARAMETER_OUT_OF_RANGE');
    expect(coerceValue('gain', gain, 12.5)).toBe(12);
    expect(codeOf(() => coerceValue('gain', gain, Number.NaN))).toBe('INVALID_PARAMETER_VALUE');
    const mode = checkSpec('mode', { choices: ['sine', 'saw'] });
    expect(codeOf(() => checkValue('mode', mode, 'square'))).toBe('INVALID_PARAMETER_VALUE');
    expect(codeOf(() => checkValue('b', checkSpec('b', { type: 'boolean' }), 1))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('normalises through the skew, and back', () => {
    expect(toNormalized(gain, -60)).toBe(0);
    expect(toNormalized(gain, 12)).toBe(1);
    const freq = checkSpec('f', { min: 20, max: 20000, skew: 'log' });
    expect(fromNormalized(freq, 0.5)).toBeCloseTo(Math.sqrt(20 * 20000), 6);
    const centred = checkSpec('c', { min: 0, max: 100, skew: 10 });
    expect(toNormalized(centred, 10)).toBeCloseTo(0.5, 12);
    expect(fromNormalized(centred, 0.5)).toBeCloseTo(10, 9);
    const logDb = checkSpec('g', { min: -60, max: 12, skew: 'log' });
    expect(toNormalized(logDb, fromNormalized(logDb, 0.3) as number)).toBeCloseTo(0.3, 9);
    const mode = checkSpec('m', { choices: ['a', 'b', 'c'] });
    expect([0, 0.24, 0.26, 1].map((n) => fromNormalized(mode, n))).toEqual(['a', 'a', 'b', 'c']);
    expect(toNormalized(mode, 'b')).toBe(0.5);
  });

  it('round trips any position within one step (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (n) => {
        const value = fromNormalized(gain, n) as number;
        expect(value).toBeGreaterThanOrEqual(-60);
        expect(value).toBeLessThanOrEqual(12);
        expect(Math.abs(toNormalized(gain, value) - n)).toBeLessThanOrEqual(0.05 / 72 + 1e-12);
      }),
    );
  });

  it('default text: the step’s decimals and the unit, the choice, on/off', () => {
    expect(defaultText(gain, -6)).toBe('-6.0 dB');
    expect(defaultText(checkSpec('x', { min: 0, max: 1 }), 0.5)).toBe('0.50');
    expect(defaultText(checkSpec('m', { choices: ['saw'] }), 'saw')).toBe('saw');
    expect(defaultText(checkSpec('b', { type: 'boolean' }), true)).toBe('on');
  });
});

describe('parameter frames: literal bytes', () => {
  it('page → host operation, sequenced (0x22 | 0x80)', () => {
    const bytes = hex('a2 | 05 00 | 67 61 69 6e 00 | 13 00 00 00 | 01 00 00 00 | 7b 22 6f 70 22 3a 22 73 65 74 22 2c 22 76 22 3a 2d 36 7d');
    expect(Buffer.from(encodeParameterOp('gain', { op: 'set', v: -6 }, 1))).toEqual(bytes);
    const frame = decodeFrame(new Uint8Array(bytes));
    expect(frame).toMatchObject({ type: FrameType.ParameterOp, id: 'gain', seq: 1 });
    expect(checkParameterOp('gain', readParameterJson(frame))).toEqual({ op: 'set', v: -6 });
    expect(Buffer.from(encodeParameterOp('gain', { op: 'begin', g: 3 }, 2))).toEqual(
      hex('a2 | 05 00 | 67 61 69 6e 00 | 14 00 00 00 | 02 00 00 00 | 7b 22 6f 70 22 3a 22 62 65 67 69 6e 22 2c 22 67 22 3a 33 7d'),
    );
  });

  it('host → page values (0x21), specs (0x20) and an error (0x23)', () => {
    expect(Buffer.from(encodeParameterValues({ gain: [-6, 'host'] }))).toEqual(
      hex('21 | 01 00 | 00 | 14 00 00 00 | 7b 22 67 61 69 6e 22 3a 5b 2d 36 2c 22 68 6f 73 74 22 5d 7d'),
    );
    const specs = encodeParameterSpecs({ b: { spec: { type: 'boolean', default: false, label: '' }, value: true, source: 'page' } });
    expect(Buffer.from(specs.subarray(0, 8))).toEqual(hex('20 | 01 00 | 00 | 59 00 00 00'));
    expect(readParameterJson(decodeFrame(specs))).toEqual({ b: { spec: { type: 'boolean', default: false, label: '' }, value: true, source: 'page' } });
    const error = encodeParameterError('x', { code: 'UNKNOWN_PARAMETER', message: 'm', op: 'set' });
    expect(Buffer.from(error.subarray(0, 16))).toEqual(hex('23 | 09 00 | 78 00 00 00 00 00 00 00 00 | 35 00 00 00'));
    expect(readParameterJson(decodeFrame(error))).toEqual({ code: 'UNKNOWN_PARAMETER', message: 'm', op: 'set' });
  });

  it('HISE mode: the page’s text and its marker', () => {
    const text = hiseParameterOpText('gain', { op: 'end', g: 2, c: 'abc' });
    expect(text).toBe('{"hwv":"param","id":"gain","op":"end","g":2,"c":"abc"}');
    expect(isHiseParameterMessage(JSON.parse(text))).toBe(true);
    expect(isHiseParameterMessage({ hwv: 'other' })).toBe(false);
  });

  it('refuses operations of the wrong shape with INVALID_PARAMETER_MESSAGE', () => {
    for (const bad of [null, [], 'set', { op: 'jump' }, { op: 'set' }, { op: 'begin', g: -1 }, { op: 'begin', g: 1.5 }, { op: 'end', g: 2 ** 32 }, { op: 'set', v: 1, c: 5 }]) {
      expect(codeOf(() => checkParameterOp('p', bad)), JSON.stringify(bad)).toBe('INVALID_PARAMETER_MESSAGE');
    }
  });
});
