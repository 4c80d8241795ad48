import { describe, expect, it } from 'vitest';
import { protocolCode } from '../helpers/protocol-code.js';
import {
  encodeRecord,
  encodeRecordingHeader,
  ProtocolError,
  readRecording,
  RecordingLayout,
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

// PROTOCOL.md §7's second example: at 3 ms the host sent float32 [0.5] under "sc" with
// {time: 2, samplePosition: 512} (a §4.8 Timed frame, 0x19, unaligned); at 4 ms page 2 set the
// parameter "on" to true in a gesture (text "on").
const TIMED_SEND = hex(`
  01 26 00 00 00  00 00 00 00 00 00 08 40  00 00 00 00  00  00 00 00 00
  19 03 00 73 63 00 1c 00 00 00
  02 03 00 00 00 00 00 00  00 00 00 00 00 00 00 40  00 00 00 00 00 00 80 40  00 00 00 3f`);
const CHANGE = hex(`
  09 31 00 00 00  00 00 00 00 00 00 10 40  02 00 00 00  00  00 00 00 00
  03 03 00 6f 6e 00 27 00 00 00
  7b 22 76 22 3a 74 72 75 65 2c 22 73 22 3a 22 70 61 67 65 22 2c 22 67 22 3a 74 72 75 65 2c 22 74 22 3a 22 6f 6e 22 7d`);
const TIMED_FIXTURE = join(HEADER, TIMED_SEND, CHANGE);
const TIMED_EVENTS: RecordedEvent[] = [
  { kind: 'send', time: 3, page: 0, id: 'sc', data: new Float32Array([0.5]), retained: false, hise: false, meta: { time: 2, samplePosition: 512 } },
  { kind: 'change', time: 4, page: 2, id: 'on', value: true, source: 'page', inGesture: true, text: 'on' },
];

const code = protocolCode;

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

  it('reads and writes the documented fixture of a send with stream time and sample position, and of a parameter change', () => {
    expect(readRecording(TIMED_FIXTURE).events).toEqual(TIMED_EVENTS);
    expect(join(encodeRecordingHeader(1.7e12), ...TIMED_EVENTS.map(encodeRecord))).toEqual(TIMED_FIXTURE);
    // A stream with only one of the two, and a send without meta keeps the plain form (files of before read the same).
    const timeOnly: RecordedEvent = { kind: 'send', time: 1, page: 0, id: 'pcm', data: new Int16Array([3]), retained: false, hise: false, meta: { time: 9.25 } };
    expect(readRecording(join(HEADER, encodeRecord(timeOnly))).events).toEqual([timeOnly]);
    const plain = encodeRecord({ kind: 'send', time: 1, page: 0, id: 'sc', data: new Float32Array([0.5]), retained: false, hise: false, meta: {} });
    expect(plain[RecordingLayout.RECORD_HEADER_BYTES]).toBe(0x02);
  });

  it('refuses a timed send record that wraps no stream, and malformed parameter records, with INVALID_RECORD', () => {
    const wrapsString = TIMED_SEND.slice();
    wrapsString[RecordingLayout.RECORD_HEADER_BYTES + 10] = 0x01; // the inner type: a string
    expect(code(() => readRecording(join(HEADER, wrapsString)))).toBe('INVALID_RECORD');
    const badChange = CHANGE.slice();
    badChange[RecordingLayout.RECORD_HEADER_BYTES + 10 + 5] = 0x30; // "v":true → "v":0rue
    expect(code(() => readRecording(join(HEADER, badChange)))).toBe('INVALID_RECORD');
    const noSpec = encodeRecord({ kind: 'parameter', time: 0, id: 'x', spec: null as never, value: 1 });
    expect(code(() => readRecording(join(HEADER, noSpec)))).toBe('INVALID_RECORD');
    expect(() => encodeRecord({ kind: 'send', time: 0, page: 0, id: 's', data: 'text', retained: false, hise: false, meta: { time: 1 } })).toThrow(ProtocolError);
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
      { kind: 'parameter', time: 14, id: 'gain', spec: { type: 'number', min: -60, max: 12, default: 0, step: 0.1, unit: 'dB', label: 'Gain', skew: 'linear' }, value: -6 },
      { kind: 'parameter', time: 14, id: 'wave', spec: { type: 'choice', choices: ['sine', 'saw'], default: 'sine', label: '' }, value: 'saw' },
      { kind: 'change', time: 15, page: 0, id: 'gain', value: -3.5, source: 'host', inGesture: false, text: '-3.5 dB' },
      { kind: 'send', time: 16, page: 0, id: 'scope', data: new Float64Array([1]), retained: false, hise: false, meta: { samplePosition: 48_000 } },
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
