import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeFloat32, encodeString, interpretPageText, ProtocolError } from '../../src/protocol/index.js';

/** Well-formed strings (no lone surrogates), ids without NUL. */
const text = fc.string({ unit: 'binary', maxLength: 200 });
const id = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
const floats = fc.float32Array({ maxLength: 300 });

describe('round trips', () => {
  it('strings with any id', () => {
    fc.assert(
      fc.property(id, text, (i, t) => {
        expect(decodeMessage(encodeString(i, t))).toEqual({ type: 1, id: i, data: t });
      }),
    );
  });

  it('float arrays with any id, bit for bit (NaN and -0 included)', () => {
    fc.assert(
      fc.property(id, floats, (i, samples) => {
        const decoded = decodeMessage(encodeFloat32(i, samples));
        expect(decoded.id).toBe(i);
        const out = decoded.data as Float32Array;
        expect(new Uint8Array(out.buffer, out.byteOffset, out.byteLength)).toEqual(new Uint8Array(samples.buffer));
      }),
    );
  });

  it('the header always states byte counts', () => {
    fc.assert(
      fc.property(id, text, (i, t) => {
        const bytes = encodeString(i, t);
        const idLength = bytes[1]! | (bytes[2]! << 8);
        expect(idLength).toBe(Buffer.byteLength(i) + 1);
        const size = new DataView(bytes.buffer).getUint32(3 + idLength, true);
        expect(size).toBe(Buffer.byteLength(t));
        expect(bytes.byteLength).toBe(7 + idLength + size);
      }),
    );
  });
});

describe('hostile bytes', () => {
  it('random bytes decode or fail with a ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expectOnlyProtocolErrors(() => decodeMessage(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('mutated valid frames (flipped bytes, truncations) fail only with a ProtocolError', () => {
    const frame = fc.oneof(
      fc.tuple(id, text).map(([i, t]) => encodeString(i, t)),
      fc.tuple(id, floats).map(([i, f]) => encodeFloat32(i, f)),
    );
    fc.assert(
      fc.property(frame, fc.nat(), fc.nat(255), fc.nat(), (bytes, at, value, cut) => {
        const mutated = bytes.slice();
        mutated[at % mutated.length] = value;
        expectOnlyProtocolErrors(() => decodeMessage(mutated));
        expectOnlyProtocolErrors(() => decodeMessage(bytes.subarray(0, cut % (bytes.length + 1))));
      }),
      { numRuns: 3000 },
    );
  });

  it('page text is a string, parsed JSON, or INVALID_JSON', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.json()), (t) => {
        expectOnlyProtocolErrors(() => interpretPageText(t));
      }),
    );
  });
});

function expectOnlyProtocolErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
  }
}
