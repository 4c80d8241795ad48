import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeFloat32, encodeString, MessageType, ProtocolError, type ProtocolErrorCode } from '../../src/protocol/index.js';
import { hex } from '../helpers/node-client.js';

// The worked examples of PROTOCOL-NOTES §1, without the two WebSocket header bytes (82 10 / 82 13).
const HELLO = hex('01 | 04 00 | 6d 73 67 00 | 05 00 00 00 | 68 65 6c 6c 6f');
const FLOATS = hex('02 | 04 00 | 62 75 66 00 | 08 00 00 00 | 00 00 00 3f 00 00 80 bf');

describe('worked examples', () => {
  it('encodes "hello" under "msg" byte for byte', () => {
    expect(Buffer.from(encodeString('msg', 'hello'))).toEqual(HELLO);
  });

  it('encodes [0.5, -1] under "buf" byte for byte', () => {
    expect(Buffer.from(encodeFloat32('buf', new Float32Array([0.5, -1])))).toEqual(FLOATS);
  });

  it('decodes both', () => {
    expect(decodeMessage(HELLO)).toEqual({ type: MessageType.String, id: 'msg', data: 'hello' });
    const floats = decodeMessage(FLOATS);
    expect(floats.type).toBe(MessageType.Float32);
    expect(floats.id).toBe('buf');
    expect(Array.from(floats.data as Float32Array)).toEqual([0.5, -1]);
  });
});

describe('UTF-8 is counted in bytes', () => {
  it('writes the id length and size of non-ASCII text in bytes', () => {
    // id "é" is 2 bytes (+1 NUL = 3); "→" is 3 bytes.
    expect(Buffer.from(encodeString('é', '→'))).toEqual(hex('01 | 03 00 | c3 a9 00 | 03 00 00 00 | e2 86 92'));
  });

  it('encodes a 4-byte character from a surrogate pair', () => {
    expect(Buffer.from(encodeString('a', '🎵'))).toEqual(hex('01 | 02 00 | 61 00 | 04 00 00 00 | f0 9f 8e b5'));
  });

  it('round-trips an empty id and empty data', () => {
    const bytes = encodeString('', '');
    expect(Buffer.from(bytes)).toEqual(hex('01 | 01 00 | 00 | 00 00 00 00'));
    expect(decodeMessage(bytes)).toEqual({ type: 1, id: '', data: '' });
  });
});

describe('float32 views', () => {
  it('is a zero-copy view when the payload is 4-byte aligned', () => {
    // id "abcde" → idLength 6 → data at 13; put the frame at offset 3 of a buffer so data lands at 16.
    const frame = encodeFloat32('abcde', new Float32Array([1, 2, 3]));
    const backing = new Uint8Array(3 + frame.byteLength);
    backing.set(frame, 3);
    const decoded = decodeMessage(backing.subarray(3));
    expect(decoded.data).toBeInstanceOf(Float32Array);
    expect((decoded.data as Float32Array).buffer).toBe(backing.buffer);
    expect(Array.from(decoded.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('copies once when it is not', () => {
    const frame = encodeFloat32('buf', new Float32Array([1, 2, 3])); // data at 11
    const decoded = decodeMessage(frame);
    expect((decoded.data as Float32Array).buffer).not.toBe(frame.buffer);
    expect(Array.from(decoded.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('in place: moves unaligned samples within the message buffer and returns a view (no allocation)', () => {
    const frame = encodeFloat32('buf', new Float32Array([1, -2, 3.5])); // data at 11
    const decoded = decodeMessage(frame, { inPlace: true });
    const samples = decoded.data as Float32Array;
    expect(samples.buffer).toBe(frame.buffer);
    expect(samples.byteOffset).toBe(8);
    expect(Array.from(samples)).toEqual([1, -2, 3.5]);
    expect(decoded.id).toBe('buf'); // read before the header bytes were overwritten
  });

  describe('exact: the samples in a buffer of exactly their size', () => {
    it.each(['b', 'bu', 'buf', 'bufs'])('id %j (every alignment): byteOffset 0, a buffer of length * 4, the message untouched', (id) => {
      const frame = encodeFloat32(id, new Float32Array([1, -2, 3.5]));
      const before = Buffer.from(frame);
      const samples = decodeMessage(frame, { exact: true }).data as Float32Array;
      expect([samples.byteOffset, samples.buffer.byteLength, Array.from(samples)]).toEqual([0, 12, [1, -2, 3.5]]);
      expect(samples.buffer).not.toBe(frame.buffer);
      expect(Buffer.from(frame)).toEqual(before);
    });

    it('strings are unaffected; bad float sizes still fail with their code', () => {
      expect(decodeMessage(encodeString('msg', 'hi'), { exact: true }).data).toBe('hi');
      const bad = hex('02 | 02 00 | 78 00 | 03 00 00 00 | 00 00 80');
      expect(() => decodeMessage(bad, { exact: true })).toThrow(expect.objectContaining({ code: 'FLOAT_SIZE_NOT_MULTIPLE_OF_4' }));
    });
  });

  it('encodes only the bytes of a subarray view', () => {
    const whole = new Float32Array([9, 0.25, 9]);
    expect(Buffer.from(encodeFloat32('x', whole.subarray(1, 2)))).toEqual(hex('02 | 02 00 | 78 00 | 04 00 00 00 | 00 00 80 3e'));
  });
});

const BAD_INPUT: [string, string, ProtocolErrorCode][] = [
  ['empty', '', 'TRUNCATED_HEADER'],
  ['six bytes', '01 04 00 6d 73 67', 'TRUNCATED_HEADER'],
  ['unknown type 0x03', '03 | 01 00 | 00 | 00 00 00 00', 'UNKNOWN_TYPE'],
  ['type 0x00', '00 | 01 00 | 00 | 00 00 00 00', 'UNKNOWN_TYPE'],
  ['id length 0', '01 | 00 00 | 00 00 00 00', 'ID_NOT_TERMINATED'],
  ['id length past the end', '01 | ff ff | 6d 73 67 00 | 00 00 00 00', 'ID_PAST_END'],
  ['id without NUL', '01 | 04 00 | 6d 73 67 21 | 00 00 00 00', 'ID_NOT_TERMINATED'],
  ['size past the end', '01 | 04 00 | 6d 73 67 00 | 06 00 00 00 | 68 65 6c 6c 6f', 'SIZE_PAST_END'],
  ['size 0xffffffff', '02 | 01 00 | 00 | ff ff ff ff | 00 00 00 00', 'SIZE_PAST_END'],
  ['trailing bytes', '01 | 04 00 | 6d 73 67 00 | 04 00 00 00 | 68 65 6c 6c 6f', 'TRAILING_BYTES'],
  ['invalid UTF-8 in the id', '01 | 02 00 | ff 00 | 00 00 00 00', 'INVALID_UTF8'],
  ['invalid UTF-8 in the text', '01 | 01 00 | 00 | 02 00 00 00 | c3 28', 'INVALID_UTF8'],
  ['an encoded surrogate', '01 | 01 00 | 00 | 03 00 00 00 | ed a0 80', 'INVALID_UTF8'],
  ['float bytes not a multiple of 4', '02 | 01 00 | 00 | 03 00 00 00 | 00 00 80', 'FLOAT_SIZE_NOT_MULTIPLE_OF_4'],
];

describe('decoding refuses bad input with a code', () => {
  it.each(BAD_INPUT)('%s → %s', (_name, bytes, code) => {
    const error = catchError(() => decodeMessage(hex(bytes)));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(code);
  });
});

describe('encoding refuses what the format cannot carry', () => {
  it.each([
    ['an id of 65535 bytes', () => encodeString('x'.repeat(65535), ''), 'ID_TOO_LONG'],
    ['an id with NUL', () => encodeString('a\0b', ''), 'ID_CONTAINS_NUL'],
    ['a lone surrogate in text', () => encodeString('id', 'a\ud800b'), 'INVALID_STRING'],
    ['a lone low surrogate in an id', () => encodeFloat32('\udc00', new Float32Array(1)), 'INVALID_STRING'],
  ] as const)('%s → %s', (_name, run, code) => {
    expect((catchError(run) as ProtocolError).code).toBe(code);
  });

  it('accepts the longest id', () => {
    const bytes = encodeString('x'.repeat(65534), 'ok');
    expect(bytes[1]).toBe(0xff);
    expect(bytes[2]).toBe(0xff);
    expect(decodeMessage(bytes).data).toBe('ok');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
