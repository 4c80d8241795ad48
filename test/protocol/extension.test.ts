import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answerCall,
  CallError,
  decodeFrame,
  encodeAck,
  encodeCall,
  encodeCallError,
  encodeFrame,
  encodeResult,
  encodeValue,
  FrameType,
  PendingCalls,
  ProtocolError,
  readAck,
  readCall,
  readPayload,
  readReply,
  type CallHandler,
} from '../../src/protocol/index.js';
import { hex } from '../helpers/node-client.js';

describe('extended frames from literal bytes', () => {
  it('float32 with a sequence number, the id padded so the data is 8-byte aligned', () => {
    const bytes = encodeFrame(FrameType.Float32, 'buf', new Uint8Array(new Float32Array([0.5, -1]).buffer), { seq: 7, align: true });
    expect(Buffer.from(bytes)).toEqual(hex('82 | 05 00 | 62 75 66 00 00 | 08 00 00 00 | 07 00 00 00 | 00 00 00 3f 00 00 80 bf'));
    const frame = decodeFrame(bytes);
    expect(frame).toMatchObject({ type: FrameType.Float32, id: 'buf', seq: 7 });
    const samples = readPayload(frame) as Float32Array;
    expect(samples.buffer).toBe(bytes.buffer); // zero-copy
    expect(Array.from(samples)).toEqual([0.5, -1]);
  });

  it('JSON, parsed on arrival', () => {
    const bytes = encodeValue('state', { a: 1 }, { align: true });
    expect(Buffer.from(bytes)).toEqual(hex('03 | 09 00 | 73 74 61 74 65 00 00 00 00 | 07 00 00 00 | 7b 22 61 22 3a 31 7d'));
    expect(readPayload(decodeFrame(bytes))).toEqual({ a: 1 });
  });

  it('a call, a result, an error and an ack', () => {
    expect(Buffer.from(encodeCall(1, 'add', [2, 3]))).toEqual(
      Buffer.concat([hex('10 | 09 00 | 61 64 64 00 00 00 00 00 00 | 11 00 00 00'), Buffer.from('{"c":1,"a":[2,3]}')]),
    );
    expect(Buffer.from(encodeResult(1, 5))).toEqual(Buffer.concat([hex('11 | 01 00 | 00 | 0d 00 00 00'), Buffer.from('{"c":1,"v":5}')]));
    expect(Buffer.from(encodeAck(5))).toEqual(hex('13 | 01 00 | 00 | 04 00 00 00 | 05 00 00 00'));
    expect(readAck(decodeFrame(encodeAck(0xfffffffe)))).toBe(0xfffffffe);
    expect(readCall(decodeFrame(encodeCall(9, 'ü', ['x'])))).toEqual({ callId: 9, name: 'ü', args: ['x'] });
    const error = Object.assign(new RangeError('too loud'), { code: 'CLIP' });
    const reply = readReply(decodeFrame(encodeCallError(4, error)));
    expect(reply.ok).toBe(false);
    const rebuilt = (reply as { error: CallError }).error;
    expect(rebuilt).toBeInstanceOf(CallError);
    expect([rebuilt.name, rebuilt.message, rebuilt.code]).toEqual(['RangeError', 'too loud', 'CLIP']);
  });

  it('HISE frames decode as extended frames too (no padding, no sequence)', () => {
    const frame = decodeFrame(hex('01 | 04 00 | 6d 73 67 00 | 05 00 00 00 | 68 65 6c 6c 6f'));
    expect(frame.seq).toBeUndefined();
    expect(readPayload(frame)).toBe('hello');
  });

  it.each([
    ['padding that is not NUL', '01 | 03 00 | 61 00 01 | 00 00 00 00', 'ID_NOT_TERMINATED'],
    ['a sequence flag with no room for it', '81 | 01 00 | 00 | 00 00 00 00', 'ID_PAST_END'],
    ['type 0x7f', '7f | 01 00 | 00 | 00 00 00 00', 'UNKNOWN_TYPE'],
  ])('refuses %s', (_name, bytes, code) => {
    expect(() => decodeFrame(hex(bytes))).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['int16 of 3 bytes', FrameType.Int16, 3, 'ELEMENT_SIZE_MISMATCH'],
    ['float64 of 12 bytes', FrameType.Float64, 12, 'ELEMENT_SIZE_MISMATCH'],
    ['float32 of 6 bytes', FrameType.Float32, 6, 'FLOAT_SIZE_NOT_MULTIPLE_OF_4'],
  ])('refuses typed data of the wrong length: %s', (_name, type, length, code) => {
    const frame = decodeFrame(encodeFrame(type, 'x', new Uint8Array(length), { align: true }));
    expect(() => readPayload(frame)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['not JSON', 'nope'],
    ['no call id', '{"a":[]}'],
    ['a negative call id', '{"c":-1,"a":[]}'],
    ['arguments not an array', '{"c":1,"a":{}}'],
  ])('refuses a call frame with %s', (_name, body) => {
    expect(() => readCall(decodeFrame(encodeFrame(FrameType.Call, 'f', body)))).toThrow(expect.objectContaining({ code: 'INVALID_CONTROL_FRAME' }));
  });
});

describe('every value type round-trips, aligned and zero-copy', () => {
  const values = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.json().map((j) => JSON.parse(j) as unknown),
    fc.float32Array(),
    fc.float64Array(),
    fc.int16Array(),
    fc.int32Array(),
    fc.uint8Array(),
  );
  it('property', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0')), values, fc.option(fc.nat()), fc.boolean(), (id, value, seq, exact) => {
        const bytes = encodeValue(id, value, { align: true, seq: seq ?? undefined });
        const frame = decodeFrame(bytes);
        expect(frame.id).toBe(id);
        expect(frame.seq).toBe(seq ?? undefined);
        expect(frame.bytes.byteOffset % 8).toBe(0);
        const out = readPayload(frame, { exact });
        if (ArrayBuffer.isView(value)) {
          expect(out).toBeInstanceOf(value.constructor);
          // exact: the data alone in a buffer of its size (what the modern client's listeners get)
          if (exact) expect([(out as Uint8Array).byteOffset, (out as Uint8Array).buffer.byteLength]).toEqual([0, value.byteLength]);
          expect(Buffer.from((out as Uint8Array).buffer, (out as Uint8Array).byteOffset, (out as Uint8Array).byteLength)).toEqual(
            Buffer.from(value.buffer, value.byteOffset, value.byteLength),
          );
        } else {
          expect(out).toEqual(value);
        }
      }),
    );
  });

  it('random and mutated frames fail only with ProtocolError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        try {
          readPayload(decodeFrame(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('calls', () => {
  const handlers = new Map<string, CallHandler>([
    ['add', ((a: number, b: number) => a + b) as CallHandler],
    ['fail', (() => {
      throw Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    }) as CallHandler],
    ['nothing', (() => undefined) as CallHandler],
    ['fn', (() => () => 1) as CallHandler],
  ]);
  const answer = async (name: string, args: unknown[]) => readReply(decodeFrame(await answerCall(handlers, { callId: 3, name, args })));

  it('answers with the result, undefined included', async () => {
    expect(await answer('add', [2, 3])).toEqual({ callId: 3, ok: true, value: 5 });
    expect(await answer('nothing', [])).toEqual({ callId: 3, ok: true, value: undefined });
  });

  it('answers a throw with its name, message and code', async () => {
    const reply = await answer('fail', []);
    expect(reply.ok).toBe(false);
    expect((reply as { error: CallError }).error).toMatchObject({ name: 'TypeError', message: 'bad', code: 'E_BAD' });
  });

  it.each(['missing', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s is UNKNOWN_FUNCTION', async (name) => {
    expect(((await answer(name, [])) as { error: CallError }).error.code).toBe('UNKNOWN_FUNCTION');
  });

  it('a result JSON cannot carry is UNSERIALIZABLE', async () => {
    expect(((await answer('fn', [])) as { error: CallError }).error.code).toBe('UNSERIALIZABLE');
  });

  it('pending calls time out, are bounded, and reject together', async () => {
    const calls = new PendingCalls({ timeout: 20, max: 2 });
    const first = calls.start('slow', []);
    await expect(first.result).rejects.toMatchObject({ code: 'CALL_TIMEOUT' });
    const a = calls.start('a', []);
    calls.start('b', []).result.catch(() => undefined);
    expect(() => calls.start('c', [])).toThrow(expect.objectContaining({ code: 'TOO_MANY_CALLS' }));
    calls.rejectAll('DISCONNECTED', 'gone');
    await expect(a.result).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(calls.size).toBe(0);
    expect(calls.settle({ callId: a.callId, ok: true, value: 1 })).toBe(false); // late replies are ignored
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => calls.start('x', [1n])).toThrow(expect.objectContaining({ code: 'UNSERIALIZABLE' }));
    expect(() => calls.start('x', [cyclic])).toThrow(expect.objectContaining({ code: 'UNSERIALIZABLE' }));
    expect(calls.size).toBe(0); // nothing registered for the calls that could not be made
  });
});
