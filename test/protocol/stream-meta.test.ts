import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  encodeStreamAck,
  encodeStreamsReady,
  encodeStreamWindow,
  encodeSubscriptions,
  encodeTimedFrame,
  encodeTimeSync,
  encodeVisibility,
  FrameType,
  readPayload,
  readStreamAck,
  readStreamsReady,
  readStreamWindow,
  readSubscriptions,
  readTimedFrame,
  readTimeSync,
  readVisibility,
} from '../../src/protocol/index.js';
import { protocolCode } from '../helpers/protocol-code.js';
import { hex } from '../helpers/node-client.js';

// PROTOCOL.md §4.8: the fresh-streams frames (0x15–0x1A), from literal bytes and round trips.

const codeOf = protocolCode;

describe('fresh-streams frames from literal bytes', () => {
  it('StreamAck 0x15: uint32 LE bytes consumed', () => {
    const bytes = encodeStreamAck(0x01020304);
    expect(Buffer.from(bytes)).toEqual(hex('15 | 01 00 | 00 | 04 00 00 00 | 04 03 02 01'));
    expect(readStreamAck(decodeFrame(bytes))).toBe(0x01020304);
    expect(readStreamAck(decodeFrame(encodeStreamAck(2 ** 32 + 5)))).toBe(5); // mod 2^32
  });

  it('Subscriptions 0x16: the whole state as JSON', () => {
    const bytes = encodeSubscriptions({ all: false, rate: 0, ids: { a: 30 }, except: [] });
    const text = '{"all":false,"rate":0,"ids":{"a":30},"except":[]}';
    expect(Buffer.from(bytes)).toEqual(Buffer.concat([hex('16 | 01 00 | 00'), hex(`${text.length.toString(16).padStart(2, '0')} 00 00 00`), Buffer.from(text)]));
    expect(readSubscriptions(decodeFrame(bytes), 10)).toEqual({ all: false, rate: 0, ids: { a: 30 }, except: [] });
  });

  it('Visibility 0x17: one byte', () => {
    expect(Buffer.from(encodeVisibility(true))).toEqual(hex('17 | 01 00 | 00 | 01 00 00 00 | 01'));
    expect(Buffer.from(encodeVisibility(false))).toEqual(hex('17 | 01 00 | 00 | 01 00 00 00 | 00'));
    expect(readVisibility(decodeFrame(encodeVisibility(false)))).toBe(false);
  });

  it('TimeSync 0x18: the question (8 bytes) and the answer (16 bytes)', () => {
    const question = encodeTimeSync(1.5);
    expect(Buffer.from(question)).toEqual(hex('18 | 01 00 | 00 | 08 00 00 00 | 00 00 00 00 00 00 f8 3f'));
    expect(readTimeSync(decodeFrame(question))).toEqual({ pageTime: 1.5, hostTime: undefined });
    const answer = encodeTimeSync(1.5, 2);
    expect(Buffer.from(answer)).toEqual(hex('18 | 01 00 | 00 | 10 00 00 00 | 00 00 00 00 00 00 f8 3f | 00 00 00 00 00 00 00 40'));
    expect(readTimeSync(decodeFrame(answer))).toEqual({ pageTime: 1.5, hostTime: 2 });
  });

  it('Timed 0x19: meta header of 24 bytes, the inner data still 8-byte aligned', () => {
    const floats = new Uint8Array(new Float32Array([1]).buffer);
    const bytes = encodeTimedFrame(FrameType.Float32, 'a', floats, { time: 2, samplePosition: 3 }, { seq: 7 });
    expect(Buffer.from(bytes)).toEqual(
      hex(
        '99 | 05 00 | 61 00 00 00 00 | 1c 00 00 00 | 07 00 00 00 | 02 03 00 00 00 00 00 00 | 00 00 00 00 00 00 00 40 | 00 00 00 00 00 00 08 40 | 00 00 80 3f',
      ),
    );
    const { frame, meta } = readTimedFrame(decodeFrame(bytes));
    expect(meta).toEqual({ time: 2, samplePosition: 3 });
    expect(frame).toMatchObject({ type: FrameType.Float32, id: 'a', seq: 7 });
    expect(frame.bytes.byteOffset % 8).toBe(0);
    const samples = readPayload(frame) as Float32Array;
    expect(samples.buffer).toBe(bytes.buffer); // still zero-copy
    expect(Array.from(samples)).toEqual([1]);
  });

  it('Timed with only a time: flags 0x01, the sample position absent', () => {
    const bytes = encodeTimedFrame(FrameType.Int16, 'x', new Uint8Array([1, 0]), { time: 10 });
    const { meta, frame } = readTimedFrame(decodeFrame(bytes));
    expect(meta).toEqual({ time: 10 });
    expect(Array.from(readPayload(frame) as Int16Array)).toEqual([1]);
  });

  it('StreamsReady 0x1a: version and window', () => {
    const bytes = encodeStreamsReady(1, 131072);
    expect(Buffer.from(bytes)).toEqual(hex('1a | 01 00 | 00 | 08 00 00 00 | 01 00 00 00 | 00 00 02 00'));
    expect(readStreamsReady(decodeFrame(bytes))).toEqual({ version: 1, windowBytes: 131072 });
  });

  it('StreamWindow 0x1b: the window now', () => {
    const bytes = encodeStreamWindow(1048576);
    expect(Buffer.from(bytes)).toEqual(hex('1b | 01 00 | 00 | 04 00 00 00 | 00 00 10 00'));
    expect(readStreamWindow(decodeFrame(bytes))).toBe(1048576);
  });
});

describe('fresh-streams frames refuse bad input with INVALID_CONTROL_FRAME', () => {
  const frameOf = (type: number, data: Uint8Array | string) => decodeFrame(encodeFrame(type, '', data, { align: true }));

  it('wrong sizes', () => {
    expect(codeOf(() => readStreamAck(frameOf(FrameType.StreamAck, new Uint8Array(3))))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readVisibility(frameOf(FrameType.Visibility, new Uint8Array(2))))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readVisibility(frameOf(FrameType.Visibility, new Uint8Array([2]))))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readTimeSync(frameOf(FrameType.TimeSync, new Uint8Array(12))))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readStreamsReady(frameOf(FrameType.StreamsReady, new Uint8Array(4))))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readStreamWindow(frameOf(FrameType.StreamWindow, new Uint8Array(8))))).toBe('INVALID_CONTROL_FRAME');
  });

  it('a time that is not finite', () => {
    const nan = new Uint8Array(new Float64Array([Number.NaN]).buffer);
    expect(codeOf(() => readTimeSync(frameOf(FrameType.TimeSync, nan)))).toBe('INVALID_CONTROL_FRAME');
  });

  it('timed frames: too short, a control type inside, unknown flags, garbage padding', () => {
    const timed = (header: number[], size = 24) => {
      const data = new Uint8Array(size);
      data.set(header);
      return frameOf(FrameType.Timed, data);
    };
    expect(codeOf(() => readTimedFrame(timed([0x02], 23)))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readTimedFrame(timed([FrameType.Json])))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readTimedFrame(timed([0x02, 0x04])))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => readTimedFrame(timed([0x02, 0x00, 0x01])))).toBe('INVALID_CONTROL_FRAME');
    expect(codeOf(() => encodeTimedFrame(FrameType.String, 'a', new Uint8Array(0), {}))).toBe('INVALID_CONTROL_FRAME');
  });

  it('subscriptions: not JSON, wrong shapes, negative rates, too many ids', () => {
    const read = (text: string, max = 4) => codeOf(() => readSubscriptions(frameOf(FrameType.Subscriptions, text), max));
    expect(read('{')).toBe('INVALID_CONTROL_FRAME');
    expect(read('[]')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":1,"rate":0,"ids":{},"except":[]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":true,"rate":-1,"ids":{},"except":[]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":true,"rate":0,"ids":{"a":"x"},"except":[]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":true,"rate":0,"ids":{},"except":[1]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":true,"rate":0,"ids":{"a":1,"b":1,"c":1},"except":[]}', 2)).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":false,"rate":0,"ids":{"__proto__":5},"except":[]}')).toBeUndefined();
    // A cap so small its interval overflows a timer (1e-300 fps: 1e303 ms, which setTimeout runs after 1 ms).
    expect(read('{"all":true,"rate":1e-300,"ids":{},"except":[]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":false,"rate":0,"ids":{"a":0.001},"except":[]}')).toBe('INVALID_CONTROL_FRAME');
    expect(read('{"all":false,"rate":0,"ids":{"a":0.01},"except":[]}')).toBeUndefined();
  });

  it('round trips any meta and payload', () => {
    fc.assert(
      fc.property(
        fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
        fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
        fc.uint8Array({ maxLength: 64 }),
        fc.string({ maxLength: 8 }).filter((id) => !id.includes('\0')),
        (time, samplePosition, data, id) => {
          const meta = { ...(time === undefined ? {} : { time }), ...(samplePosition === undefined ? {} : { samplePosition }) };
          const decoded = readTimedFrame(decodeFrame(encodeTimedFrame(FrameType.Bytes, id, data, meta)));
          expect(decoded.meta).toEqual(meta);
          expect(decoded.frame.id).toBe(id);
          expect(Array.from(decoded.frame.bytes)).toEqual(Array.from(data));
        },
      ),
    );
  });
});
