import { describe, expect, it } from 'vitest';
import {
  encodeRecord,
  encodeRecordingHeader,
  ProtocolError,
  readRecording,
  RecordingReader,
  type RecordedEvent,
} from '../../src/protocol/index.js';

const hex = (text: string): Uint8Array => new Uint8Array(text.trim().split(/\s+/).map((byte) => parseInt(byte, 16)));
const join = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.byteLength) - part.byteLength);
  return out;
};

// PROTOCOL.md §7's example, byte for byte: header (start 1.7e12 ms), a retained sendToWebsocket of "hi"
// under "msg" at 1.5 ms, and HISE page 2 sending float32 [0.5, -1] (no id) at 20.25 ms.
const HEADER = hex('48 57 56 52 45 43 01 00  00 00 80 56 fe bc 78 42');
const SEND = hex(`
  01 0d 00 00 00  00 00 00 00 00 00 f8 3f  00 00 00 00  03  00 00 00 00
  01 04 00 6d 73 67 00 02 00 00 00 68 69`);
const RECEIVE = hex(`
  02 10 00 00 00  00 00 00 00 00 40 34 40  02 00 00 00  04  00 00 00 00
  02 01 00 00 08 00 00 00 00 00 00 3f 00 00 80 bf`);
const FIXTURE = join(HEADER, SEND, RECEIVE);

const code = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).code;
  }
  return undefined;
};

describe('recording format', () => {
  it('reads the documented fixture', () => {
    const recording = readRecording(FIXTURE);
    expect(recording).toMatchObject({ version: 1, startTime: 1.7e12, truncatedBytes: 0 });
    expect(recording.events).toEqual([
      { kind: 'send', time: 1.5, page: 0, id: 'msg', data: 'hi', retained: true, hise: true },
      { kind: 'receive', time: 20.25, page: 2, id: undefined, data: new Float32Array([0.5, -1]) },
    ]);
  });

  it('writes the documented fixture', () => {
    const send: RecordedEvent = { kind: 'send', time: 1.5, page: 0, id: 'msg', data: 'hi', retained: true, hise: true };
    const receive: RecordedEvent = { kind: 'receive', time: 20.25, page: 2, id: undefined, data: new Float32Array([0.5, -1]) };
    expect(join(encodeRecordingHeader(1.7e12), encodeRecord(send), encodeRecord(receive))).toEqual(FIXTURE);
  });

  it('round-trips every record kind and payload type', () => {
    const events: RecordedEvent[] = [
      { kind: 'connect', time: 0, page: 1 },
      { kind: 'send', time: 1, page: 0, id: 'scope', data: new Float32Array([1, 2, 3]), retained: false, hise: true },
      { kind: 'send', time: 2, page: 1, id: 'pcm', data: new Int16Array([-2, 7]), retained: false, hise: false },
      { kind: 'send', time: 3, page: 0, id: 'wide', data: new Int32Array([1 << 30]), retained: false, hise: false },
      { kind: 'send', time: 4, page: 0, id: 'precise', data: new Float64Array([Math.PI]), retained: false, hise: false },
      { kind: 'send', time: 5, page: 0, id: 'image', data: new Uint8Array([0, 255, 9]), retained: false, hise: false },
      { kind: 'send', time: 6, page: 0, id: 'state', data: { on: true, list: [1, 'é'] }, retained: true, hise: false },
      { kind: 'receive', time: 7, page: 1, id: 'knob', data: 0.75 },
      { kind: 'call', time: 8, page: 1, call: 3, direction: 'page-to-host', callKind: 'bindCallback', name: 'getValue', args: [1, 'x'] },
      { kind: 'settle', time: 9.5, call: 3, duration: 1.5, ok: true, value: { v: 2 } },
      { kind: 'call', time: 10, page: 1, call: 4, direction: 'host-to-page', callKind: 'call', name: 'echo', args: [] },
      { kind: 'settle', time: 11, call: 4, duration: 1, ok: false, error: { name: 'CallError', message: 'no', code: 'NOPE' } },
      { kind: 'error', time: 12, page: 1, code: 'INVALID_JSON', message: 'bad {' },
      { kind: 'disconnect', time: 13, page: 1, code: 1001, reason: 'going away' },
    ];
    const bytes = join(encodeRecordingHeader(5), ...events.map(encodeRecord));
    const decoded = readRecording(bytes).events;
    expect(decoded).toEqual(events);
    expect((decoded[1] as { data: Float32Array }).data.byteOffset).toBe(0); // owned copies, not views into the file
  });

  it('reads as it grows: byte by byte gives the same records', () => {
    const reader = new RecordingReader();
    const events: RecordedEvent[] = [];
    for (const byte of FIXTURE) events.push(...reader.push(new Uint8Array([byte])));
    expect(events).toEqual(readRecording(FIXTURE).events);
    expect(reader.pendingBytes).toBe(0);
  });

  it('a file cut anywhere keeps its whole records and counts the rest, or is refused with a code', () => {
    for (let length = 0; length < FIXTURE.byteLength; length++) {
      const cut = FIXTURE.subarray(0, length);
      if (length < HEADER.byteLength) {
        expect(code(() => readRecording(cut))).toBe('RECORDING_TRUNCATED');
        continue;
      }
      const recording = readRecording(cut);
      const whole = length >= HEADER.byteLength + SEND.byteLength ? 1 : 0;
      expect(recording.events.length).toBe(whole);
      expect(recording.truncatedBytes).toBe(length - HEADER.byteLength - whole * SEND.byteLength);
      if (recording.truncatedBytes > 0) expect(code(() => readRecording(cut, { allowTruncated: false }))).toBe('RECORDING_TRUNCATED');
    }
  });

  it('refuses what is not a recording, another version, oversized and malformed records, with codes', () => {
    expect(code(() => readRecording(hex('89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52')))).toBe('NOT_A_RECORDING');
    expect(code(() => readRecording(hex('7b 22')))).toBe('NOT_A_RECORDING');
    expect(code(() => new RecordingReader().push(hex('00')))).toBe('NOT_A_RECORDING');
    const v2 = FIXTURE.slice();
    v2[6] = 2;
    expect(code(() => readRecording(v2))).toBe('UNSUPPORTED_RECORDING_VERSION');
    const huge = join(HEADER, hex('01 ff ff ff ff 00 00 00 00 00 00 f8 3f 00 00 00 00 00 00 00 00 00'));
    expect(code(() => readRecording(huge))).toBe('RECORD_TOO_LARGE');
    expect(code(() => readRecording(join(HEADER, SEND), { maxRecordBytes: 12 }))).toBe('RECORD_TOO_LARGE');
    const unknownKind = join(HEADER, SEND);
    unknownKind[16] = 0x7e;
    expect(code(() => readRecording(unknownKind))).toBe('INVALID_RECORD');
    const negativeTime = join(HEADER, SEND);
    negativeTime[16 + 12] = 0xbf; // -1.5
    expect(code(() => readRecording(negativeTime))).toBe('INVALID_RECORD');
    const badFrame = join(HEADER, SEND);
    badFrame[16 + 22] = 0x55; // the frame's type byte
    expect(code(() => readRecording(badFrame))).toBe('INVALID_RECORD');
    const callNotJson = join(HEADER, SEND);
    callNotJson[16] = 0x03; // a call record whose frame is a string
    expect(code(() => readRecording(callNotJson))).toBe('INVALID_RECORD');
  });

  it('never throws anything but a ProtocolError on random bytes after a valid header', () => {
    let seed = 7;
    const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (let run = 0; run < 300; run++) {
      const body = new Uint8Array(1 + (run % 80)).map(() => random());
      try {
        readRecording(join(HEADER, body));
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
    }
  });
});
