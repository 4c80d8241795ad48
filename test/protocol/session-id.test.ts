import { describe, expect, it } from 'vitest';
import { createSessionId, isSessionId, SESSION_ID_BYTES, SESSION_ID_LENGTH, type RandomSource } from '../../src/protocol/index.js';

// Session ids are bearer secrets (PROTOCOL.md §4, "Session ids"): 128 bits from crypto.getRandomValues.

describe('session ids', () => {
  it('are 32 lowercase hex digits written from 16 bytes of crypto.getRandomValues, nothing else', () => {
    const asked: number[] = [];
    const fixed: RandomSource = {
      getRandomValues<T extends ArrayBufferView | null>(array: T): T {
        const bytes = array as unknown as Uint8Array;
        asked.push(bytes.byteLength);
        bytes.forEach((_, i) => (bytes[i] = i * 17));
        return array;
      },
    };
    expect(createSessionId(fixed)).toBe('00112233445566778899aabbccddeeff');
    expect(asked).toEqual([SESSION_ID_BYTES]);
    expect(SESSION_ID_BYTES * 8).toBe(128);
    expect(SESSION_ID_LENGTH).toBe(32);
  });

  it('refuse to be made without a cryptographic source (no Math.random fallback)', () => {
    expect(() => createSessionId({} as RandomSource)).toThrow(TypeError);
    expect(() => createSessionId(null as unknown as RandomSource)).toThrow(TypeError);
  });

  it('look random: 20 000 ids are distinct, every bit is set about half the time, every hex digit equally often', () => {
    const count = 20_000;
    const ids = Array.from({ length: count }, () => createSessionId());
    expect(new Set(ids).size).toBe(count);
    expect(ids.every(isSessionId)).toBe(true);
    // Per bit position: ones ~ Binomial(20 000, 1/2), sd ≈ 71; 6 sd is a bound a good generator never hits.
    const ones = new Array<number>(128).fill(0);
    const digits = new Array<number>(16).fill(0);
    for (const id of ids) {
      for (let i = 0; i < 32; i++) {
        const nibble = parseInt(id[i]!, 16);
        digits[nibble]!++;
        for (let b = 0; b < 4; b++) if (nibble & (1 << b)) ones[i * 4 + b]!++;
      }
    }
    for (const n of ones) expect(Math.abs(n - count / 2)).toBeLessThan(6 * Math.sqrt(count / 4));
    // Chi-square of the 16 digits over 640 000 draws, 15 degrees of freedom: 60 is far beyond p = 1e-6.
    const expected = (count * 32) / 16;
    const chi2 = digits.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(60);
  });

  it('isSessionId accepts exactly that shape', () => {
    expect(isSessionId('0123456789abcdef0123456789abcdef')).toBe(true);
    for (const bad of [undefined, 1, '', 'replay', '0123456789ABCDEF0123456789ABCDEF', '0123456789abcdef0123456789abcde', '0123456789abcdef0123456789abcdef0', '0123456789abcdef0123456789abcdeg', '01234567-89ab-cdef-0123-456789abcdef', '0123456789abcdef0123456789abcdef\n']) {
      expect(isSessionId(bad), String(bad)).toBe(false);
    }
  });
});
