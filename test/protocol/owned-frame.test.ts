import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeOwnedHead, FrameType, ownedFrame, readOwnedHead, readPayload } from '../../src/protocol/index.js';
import { encodeFrame } from '../../src/protocol/frame.js';
import { protocolCode } from '../helpers/protocol-code.js';
import { hex } from '../helpers/node-client.js';

// PROTOCOL.md §4.9: owned stream frames, a head (0x1c) and then the payload alone.

const head = (bytes: Uint8Array) => readOwnedHead(decodeFrame(bytes), bytes.byteLength);

describe('owned frames from literal bytes', () => {
  it('OwnedHead 0x1c without a time: inner type, flags 0, 2 NULs, payload bytes', () => {
    const bytes = encodeOwnedHead(FrameType.Float32, 'a', 8, undefined, 7);
    expect(Buffer.from(bytes)).toEqual(hex('9c | 02 00 | 61 00 | 08 00 00 00 | 07 00 00 00 | 02 00 00 00 | 08 00 00 00'));
    expect(head(bytes)).toEqual({ type: FrameType.Float32, id: 'a', seq: 7, payloadBytes: 8, meta: undefined, headBytes: 21 });
  });

  it('OwnedHead 0x1c with a time and a sample position: 24 bytes of data', () => {
    const bytes = encodeOwnedHead(FrameType.Float32, 'a', 4, { time: 2, samplePosition: 3 }, 7);
    expect(Buffer.from(bytes)).toEqual(
      hex('9c | 02 00 | 61 00 | 18 00 00 00 | 07 00 00 00 | 02 03 00 00 | 04 00 00 00 | 00 00 00 00 00 00 00 40 | 00 00 00 00 00 00 08 40'),
    );
    expect(head(bytes).meta).toEqual({ time: 2, samplePosition: 3 });
    expect(head(encodeOwnedHead(FrameType.Int16, 'a', 2, { samplePosition: 3 }, 1)).meta).toEqual({ samplePosition: 3 });
  });

  it("PROTOCOL.md's example: [0.5, -1] under buf, seq 7, as head then payload", () => {
    const headBytes = encodeOwnedHead(FrameType.Float32, 'buf', 8, undefined, 7);
    expect(Buffer.from(headBytes)).toEqual(hex('9c | 04 00 | 62 75 66 00 | 08 00 00 00 | 07 00 00 00 | 02 00 00 00 | 08 00 00 00'));
    const payload = new Uint8Array(hex('00 00 00 3f 00 00 80 bf'));
    expect(readPayload(ownedFrame(head(headBytes), payload))).toEqual(new Float32Array([0.5, -1]));
  });

  it('the payload message is the frame data itself: read exact, the typed array is its buffer (no copy)', () => {
    const payload = new Uint8Array(new Float32Array([0.5, -1]).buffer);
    const frame = ownedFrame(head(encodeOwnedHead(FrameType.Float32, 'buf', 8, undefined, 7)), payload);
    const floats = readPayload(frame, { exact: true }) as Float32Array;
    expect(floats).toEqual(new Float32Array([0.5, -1]));
    expect(floats.buffer).toBe(payload.buffer);
    expect(floats.byteOffset).toBe(0);
    expect(frame).toMatchObject({ id: 'buf', seq: 7, type: FrameType.Float32 });
  });

  it('a payload of another size than announced is refused', () => {
    const announced = head(encodeOwnedHead(FrameType.Float32, 'a', 8, undefined, 1));
    expect(protocolCode(() => ownedFrame(announced, new Uint8Array(12)))).toBe('TRAILING_BYTES');
    expect(protocolCode(() => ownedFrame(announced, new Uint8Array(4)))).toBe('SIZE_PAST_END');
  });

  it('malformed heads are INVALID_CONTROL_FRAME', () => {
    const withData = (data: number[]) => encodeFrame(FrameType.OwnedHead, 'a', new Uint8Array(data), { seq: 1 });
    const cases = [
      withData([2, 0, 0, 0]), // 4 bytes of data
      withData([0x10, 0, 0, 0, 8, 0, 0, 0]), // announces a call, not a stream type
      withData([2, 4, 0, 0, 8, 0, 0, 0]), // unknown flag
      withData([2, 1, 0, 0, 8, 0, 0, 0]), // a time flag without the time field
      withData([2, 0, 9, 0, 8, 0, 0, 0]), // padding not NUL
      withData([2, 0, 0, 0, 6, 0, 0, 0]), // 6 bytes of float32
    ];
    for (const bytes of cases) expect(protocolCode(() => head(bytes))).toBe('INVALID_CONTROL_FRAME');
    expect(protocolCode(() => encodeOwnedHead(FrameType.Json, 'a', 8, undefined, 1))).toBe('INVALID_CONTROL_FRAME');
  });
});
