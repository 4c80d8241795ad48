import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocolCode } from '../helpers/protocol-code.js';
import { decodeHubData, encodeHubData, HubFlag, HubOp, parseHubControl, ProtocolError, readHubHeader } from '../../src/protocol/index.js';

// The hub protocol's binary frame (PROTOCOL.md §7): [op][flags][value type][header length u16 LE][header JSON][value].

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((byte) => parseInt(byte, 16)));
const code = protocolCode;

// {"o":"a","s":1,"id":"x"} is 24 bytes (0x18).
const HEADER = '7b226f223a2261222c2273223a312c226964223a2278227d';

describe('hub data frames', () => {
  it('a retained string send, byte for byte', () => {
    const frame = encodeHubData(HubOp.Send, HubFlag.Retained, { o: 'a', s: 1, id: 'x' }, 'hi');
    expect(frame).toEqual(hex(`30 01 00 1800 ${HEADER} 6869`));
    expect(decodeHubData(frame)).toEqual({ op: HubOp.Send, flags: HubFlag.Retained, header: { o: 'a', s: 1, id: 'x' }, value: 'hi' });
  });

  it('float32 little-endian, decoded into an aligned copy even from an odd offset', () => {
    const frame = encodeHubData(HubOp.Send, HubFlag.HiseApi, { o: 'a', s: 1, id: 'x' }, new Float32Array([1, -2]));
    expect(frame).toEqual(hex(`30 02 02 1800 ${HEADER} 0000803f 000000c0`));
    const shifted = new Uint8Array(frame.byteLength + 1);
    shifted.set(frame, 1);
    const value = decodeHubData(shifted.subarray(1)).value as Float32Array;
    expect(value).toBeInstanceOf(Float32Array);
    expect(Array.from(value)).toEqual([1, -2]);
    expect(value.buffer.byteLength).toBe(8); // its own buffer, not the frame's
  });

  it('a page message carries its page', () => {
    const page = { instance: 'b', id: 3, path: '/', extended: true };
    const decoded = decodeHubData(encodeHubData(HubOp.PageMessage, 0, { o: 'b', s: 9, p: page }, { n: 1 }));
    expect(decoded.header.p).toEqual(page);
    expect(decoded.header.id).toBeUndefined();
    expect(decoded.value).toEqual({ n: 1 });
  });

  it('refuses truncated, overlong, garbage and unknown input with codes', () => {
    expect(code(() => decodeHubData(hex('30 00 00 18')))).toBe('TRUNCATED_HEADER');
    expect(code(() => decodeHubData(hex('30 00 00 ff00 7b7d')))).toBe('SIZE_PAST_END');
    expect(code(() => decodeHubData(hex('30 00 00 0200 7b7d')))).toBe('INVALID_JSON'); // {} lacks o and s
    expect(code(() => decodeHubData(hex(`99 00 00 1800 ${HEADER}`)))).toBe('UNKNOWN_TYPE');
    expect(code(() => decodeHubData(hex(`30 00 09 1800 ${HEADER}`)))).toBe('UNKNOWN_TYPE');
    expect(code(() => decodeHubData(hex(`30 00 02 1800 ${HEADER} 000000`)))).toBe('ELEMENT_SIZE_MISMATCH');
    expect(code(() => decodeHubData(hex(`30 00 00 1800 ${HEADER} ff`)))).toBe('INVALID_UTF8');
    expect(code(() => decodeHubData(hex(`30 00 01 1800 ${HEADER} 7b`)))).toBe('INVALID_JSON');
    expect(code(() => readHubHeader(hex('30 00 00 0100 ff')))).toBe('INVALID_JSON');
  });

  it('round-trips any value it carries, and never throws anything but a ProtocolError on garbage', () => {
    const value = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown),
      fc.float32Array({ noNaN: true }),
      fc.int16Array(),
      fc.uint8Array(),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 2 ** 31 }), (v, s) => {
        const decoded = decodeHubData(encodeHubData(HubOp.Send, 0, { o: 'x', s, id: 'id' }, v));
        expect(decoded.header.s).toBe(s);
        expect(decoded.value).toEqual(v);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeHubData(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
    );
  });

  it('control messages: JSON objects with a string t, anything else is not one', () => {
    expect(parseHubControl('{"t":"ack","s":3}')).toEqual({ t: 'ack', s: 3 });
    for (const text of ['', 'null', '[]', '{"s":1}', '{"t":1}', '{']) expect(parseHubControl(text)).toBeUndefined();
  });
});
