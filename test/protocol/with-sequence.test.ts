import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameType, ProtocolError, withSequence } from '../../src/protocol/index.js';
import { hex } from '../helpers/node-client.js';

// One message numbered for many sessions: encoded once (numbered 0), copied with each number.

describe('withSequence', () => {
  it('renumbers a copy, from literal bytes', () => {
    // 'a' under id 't', seq 0, aligned: type 0x81, idLength 5 (t NUL + 3 pad), size 1, seq 0, data.
    const template = hex('81 | 05 00 | 74 00 00 00 00 | 01 00 00 00 | 00 00 00 00 | 61');
    expect(new Uint8Array(encodeFrame(FrameType.String, 't', 'a', { align: true, seq: 0 }))).toEqual(new Uint8Array(template));
    const renumbered = withSequence(new Uint8Array(template), 0x01020304);
    expect(Buffer.from(renumbered)).toEqual(hex('81 | 05 00 | 74 00 00 00 00 | 01 00 00 00 | 04 03 02 01 | 61'));
    expect(template[12]).toBe(0); // the template itself is untouched
  });

  it('gives the same bytes as encoding with that number', () => {
    for (const [id, text] of [['', ''], ['state', '{"gain":0.5}'], ['ü'.repeat(9), 'x'.repeat(1000)]] as const) {
      const template = encodeFrame(FrameType.Json, id, text, { align: true, seq: 0 });
      for (const seq of [1, 2, 255, 65536, 0xffffffff]) {
        expect(withSequence(template, seq)).toEqual(encodeFrame(FrameType.Json, id, text, { align: true, seq }));
      }
    }
  });

  it('refuses a frame without a sequence field, or too short to have one', () => {
    expect(() => withSequence(encodeFrame(FrameType.String, 't', 'a', { align: true }), 1)).toThrow(ProtocolError);
    expect(() => withSequence(new Uint8Array([0x81, 0x05, 0x00, 0x74, 0x00]), 1)).toThrow(ProtocolError);
    expect(() => withSequence(new Uint8Array([0x81]), 1)).toThrow(ProtocolError);
  });
});
