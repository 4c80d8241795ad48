import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/errors.js';
import { decodeMessage } from '../../src/protocol/decode.js';
import { encodeFrameForHise, hiseFrameSize, readHiseServerFrame } from '../../src/protocol/hise-framing.js';

// Issue 22: HISE writes (and reads) WebSocket extended payload lengths little-endian
// (HISE-BEHAVIOUR.md "WebSocket"; PROTOCOL-NOTES.md §1). The proxy reads HISE's frames and writes
// frames HISE reads with src/protocol/hise-framing.ts; these are its byte fixtures.

const MAX = 16 * 1024 * 1024;
const hex = (text: string): Uint8Array => new Uint8Array(text.trim().split(/\s+/).map((byte) => Number.parseInt(byte, 16)));
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const join = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** A 126-byte string message with id `s`: `01 | 02 00 | 73 00 | 75 00 00 00 | 117 × 'a'` (PROTOCOL.md §1). */
const PAYLOAD_126 = join(hex('01 02 00 73 00 75 00 00 00'), ascii('a'.repeat(117)));

describe('reading HISE server frames (readHiseServerFrame)', () => {
  it('a frame of ≤ 125 bytes is read as RFC 6455 frames it (PROTOCOL-NOTES.md §1 worked example)', () => {
    const bytes = hex('82 10 01 04 00 6d 73 67 00 05 00 00 00 68 65 6c 6c 6f');
    const frame = readHiseServerFrame(bytes, MAX)!;
    expect(frame).toMatchObject({ fin: true, opcode: 2, size: 18, lengthOrder: 'none' });
    expect(decodeMessage(frame.payload)).toMatchObject({ id: 'msg', data: 'hello' });
  });

  it('a 126-byte payload with its 16-bit length written little-endian (7e 00), as HISE writes it', () => {
    const bytes = join(hex('82 7e 7e 00'), PAYLOAD_126);
    const frame = readHiseServerFrame(bytes, MAX)!;
    expect(frame).toMatchObject({ opcode: 2, size: 130, lengthOrder: 'little' });
    expect(frame.payload).toEqual(PAYLOAD_126);
  });

  it('the same payload framed big-endian (00 7e), as RFC 6455 says, is read too: the payload header confirms the order', () => {
    const frame = readHiseServerFrame(join(hex('82 7e 00 7e'), PAYLOAD_126), MAX)!;
    expect(frame).toMatchObject({ size: 130, lengthOrder: 'big' });
    expect(frame.payload).toEqual(PAYLOAD_126);
  });

  it('2,048 floats under id scope (8,205 bytes: length 0d 20 little-endian) arrive intact', () => {
    const samples = Float32Array.from({ length: 2048 }, (_, i) => Math.sin(i / 10));
    const payload = join(hex('02 06 00 73 63 6f 70 65 00 00 20 00 00'), new Uint8Array(samples.buffer));
    expect(payload.length).toBe(8205);
    const frame = readHiseServerFrame(join(hex('82 7e 0d 20'), payload), MAX)!;
    const message = decodeMessage(frame.payload);
    expect(message.id).toBe('scope');
    expect(Array.from(message.data as Float32Array)).toEqual(Array.from(samples));
  });

  it('a 64-bit length written little-endian (70,000 bytes: 70 11 01 00 00 00 00 00)', () => {
    const payload = join(hex('01 02 00 78 00 67 11 01 00'), ascii('z'.repeat(69_991)));
    expect(payload.length).toBe(70_000);
    const frame = readHiseServerFrame(join(hex('82 7f 70 11 01 00 00 00 00 00'), payload), MAX)!;
    expect(frame).toMatchObject({ size: 70_010, lengthOrder: 'little' });
    expect(frame.payload.length).toBe(70_000);
  });

  it('every prefix of a frame reads as "not yet" (undefined), never as a shorter frame', () => {
    const bytes = join(hex('82 7e 7e 00'), PAYLOAD_126);
    for (let end = 0; end < bytes.length; end++) expect(readHiseServerFrame(bytes.subarray(0, end), MAX)).toBeUndefined();
    expect(readHiseServerFrame(bytes, MAX)?.size).toBe(bytes.length);
  });

  it('hiseFrameSize: the whole size once the header (and, for an ambiguous order, the payload header) is there', () => {
    const bytes = join(hex('82 7e 7e 00'), PAYLOAD_126);
    expect(hiseFrameSize(bytes.subarray(0, 3), MAX)).toBeUndefined();
    expect(hiseFrameSize(bytes.subarray(0, 8), MAX)).toBeUndefined(); // 7e 00 or 00 7e? the payload's id length has not come
    expect(hiseFrameSize(bytes.subarray(0, 13), MAX)).toBe(130);
    expect(hiseFrameSize(hex('82 10'), MAX)).toBe(18);
  });

  it('two frames back to back: the first one, and its size says where the second starts', () => {
    const bytes = join(hex('82 7e 7e 00'), PAYLOAD_126, hex('82 10 01 04 00 6d 73 67 00 05 00 00 00 68 65 6c 6c 6f'));
    const first = readHiseServerFrame(bytes, MAX)!;
    const second = readHiseServerFrame(bytes.subarray(first.size), MAX)!;
    expect(decodeMessage(second.payload)).toMatchObject({ id: 'msg', data: 'hello' });
  });

  it('a length past maxPayload is refused with DATA_TOO_LARGE before the payload arrives', () => {
    const error = (() => {
      try {
        readHiseServerFrame(hex('82 7e 7e 00'), 100);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('DATA_TOO_LARGE');
  });
});

describe('framing a page message for HISE (encodeFrameForHise)', () => {
  const ZERO_MASK = hex('00 00 00 00');

  it('≤ 125 bytes: as RFC 6455 frames it, masked', () => {
    expect(encodeFrameForHise(1, ascii('hello'), ZERO_MASK)).toEqual(hex('81 85 00 00 00 00 68 65 6c 6c 6f'));
    const masked = encodeFrameForHise(1, ascii('hello'), hex('01 02 03 04'));
    expect(masked).toEqual(hex('81 85 01 02 03 04 69 67 6f 68 6e'));
  });

  it('126 to 65,535 bytes: a 16-bit length written little-endian, as HISE reads it (200 → c8 00)', () => {
    const frame = encodeFrameForHise(1, ascii('x'.repeat(200)), ZERO_MASK);
    expect(Array.from(frame.subarray(0, 8))).toEqual(Array.from(hex('81 fe c8 00 00 00 00 00')));
    expect(frame.length).toBe(208);
    const largest = encodeFrameForHise(2, new Uint8Array(65_535), ZERO_MASK);
    expect(Array.from(largest.subarray(0, 4))).toEqual(Array.from(hex('82 fe ff ff')));
  });

  it('more than 65,535 bytes: refused with DATA_TOO_LARGE (HISE reads a 64-bit length as 0)', () => {
    expect(() => encodeFrameForHise(2, new Uint8Array(65_536), ZERO_MASK)).toThrow(expect.objectContaining({ code: 'DATA_TOO_LARGE' }));
  });
});
