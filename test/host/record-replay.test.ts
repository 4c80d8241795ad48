import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient, type MessageMeta } from '../../src/client/index.js';
import { CallError, record, readRecording, readRecordingFile, replay, type Observation, type RecordedEvent, type WebView } from '../../src/host/index.js';
import { encodeRecord, encodeRecordingHeader } from '../../src/protocol/index.js';
import { startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

const dir = mkdtempSync(join(tmpdir(), 'hwv-record-'));
let fileCount = 0;
const tempFile = (): string => join(dir, `session-${++fileCount}.hwvrec`);

const clients: HiseClient<any>[] = [];
const replays: { stop(): void }[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const playing of replays.splice(0)) playing.stop();
});
async function modernPage(port: number): Promise<HiseClient<any>> {
  const client = connect<any>({ port, host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100 });
  clients.push(client);
  await client.ready;
  return client;
}

function recordingOf(events: RecordedEvent[]): ReturnType<typeof readRecording> {
  const parts = [encodeRecordingHeader(Date.now()), ...events.map(encodeRecord)];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) bytes.set(part, (at += part.byteLength) - part.byteLength);
  return readRecording(bytes);
}

describe('record', () => {
  it('writes messages both ways with their types, retained ids, calls with results and errors, pages coming and going', async () => {
    const { wv, port } = await startHost();
    const file = tempFile();
    const recording = record(wv, file);
    wv.retain('state');
    wv.send('state', { on: true });
    wv.handle('add', (a: number, b: number) => a + b);
    wv.handle('fail', () => {
      throw new CallError('NOPE', 'no');
    });
    const client = await modernPage(port);
    const scope = new Float32Array([0.25, -0.5]);
    wv.sendToWebsocket('scope', scope);
    scope[0] = 9; // the host author reuses the buffer: the record holds what was sent
    wv.sendToWebsocket('json-as-text', { a: 1 });
    wv.send('pcm', new Int16Array([1, -1]));
    client.send('knob', 0.75);
    await expect(client.call('add', 2, 3)).resolves.toBe(5);
    await expect(client.call('fail')).rejects.toMatchObject({ code: 'NOPE' });
    await until(() => recording.records >= 10);
    // Readable as it goes: the file holds whole records before the recording stops.
    await until(() => readRecording(readFileSync(file), { allowTruncated: false }).events.length >= 10);
    const summary = recording.stop();
    expect(summary).toMatchObject({ file, reason: 'stopped', error: undefined });
    expect(statSync(file).size).toBe(summary.bytes);
    const events = (await readRecordingFile(file)).events;
    expect(events.length).toBe(summary.records);
    const sends = events.filter((e) => e.kind === 'send');
    expect(sends).toEqual([
      expect.objectContaining({ id: 'state', data: { on: true }, retained: true, hise: false }),
      expect.objectContaining({ id: 'scope', data: new Float32Array([0.25, -0.5]), retained: false, hise: true }),
      expect.objectContaining({ id: 'json-as-text', data: { a: 1 }, hise: true }),
      expect.objectContaining({ id: 'pcm', data: new Int16Array([1, -1]), hise: false }),
    ]);
    expect(events.find((e) => e.kind === 'receive')).toMatchObject({ id: 'knob', data: 0.75 });
    expect(events.filter((e) => e.kind === 'call').map((e) => [e.name, e.args])).toEqual([
      ['add', [2, 3]],
      ['fail', []],
    ]);
    expect(events.filter((e) => e.kind === 'settle').map((e) => (e.ok ? e.value : e.error?.code))).toEqual([5, 'NOPE']);
    expect(events.some((e) => e.kind === 'connect')).toBe(true);
    const times = events.map((e) => e.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('starts with the latest value of each retained id sent before the recording began', async () => {
    const { wv } = await startHost();
    wv.retain('state', 'scope', 'unset');
    wv.send('state', { gain: -6 });
    wv.send('scope', new Float32Array([0.5, -0.5]));
    const file = tempFile();
    const recording = record(wv, file);
    recording.stop();
    await recording.done;
    const sends = (await readRecordingFile(file)).events.filter((event) => event.kind === 'send');
    expect(sends).toEqual([
      expect.objectContaining({ id: 'state', data: { gain: -6 }, retained: true, time: 0 }),
      expect.objectContaining({ id: 'scope', data: new Float32Array([0.5, -0.5]), retained: true, time: 0 }),
    ]);
  });

  it('stops at maxBytes with RECORDING_FULL and never writes past it; the file stays whole', async () => {
    const { wv } = await startHost();
    const file = tempFile();
    const stops: string[] = [];
    const maxBytes = 2000;
    const recording = record(wv, file, { maxBytes, onStop: (s) => stops.push(s.reason) });
    const block = new Float32Array(64); // a 256-byte payload: a few fit
    for (let i = 0; i < 20; i++) wv.sendToWebsocket('scope', block);
    const summary = await recording.done;
    expect(summary.reason).toBe('limit');
    expect(summary.error).toMatchObject({ code: 'RECORDING_FULL' });
    expect(summary.error!.message).toMatch(/size limit of 2000 bytes/);
    expect(stops).toEqual(['limit']);
    const size = statSync(file).size;
    expect(size).toBeLessThanOrEqual(maxBytes);
    expect(size).toBe(summary.bytes);
    const read = readRecording(readFileSync(file), { allowTruncated: false });
    expect(read.events.length).toBe(summary.records);
    expect(summary.records).toBeGreaterThan(3);
    wv.sendToWebsocket('scope', block);
    expect(statSync(file).size).toBe(size); // stopped means stopped
    expect(() => record(wv, tempFile(), { maxBytes: 3 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => record(wv, join(dir, 'no-such-dir', 'x.hwvrec'))).toThrow(expect.objectContaining({ code: 'RECORDING_FAILED' }));
    await expect(readRecordingFile(join(dir, 'missing.hwvrec'))).rejects.toMatchObject({ code: 'RECORDING_FAILED' });
    await expect(readRecordingFile(file, { maxFileBytes: 100 })).rejects.toMatchObject({ code: 'RECORDING_FAILED', message: expect.stringMatching(/over maxFileBytes 100/) });
  });
});

describe('replay', () => {
  const SESSION: RecordedEvent[] = [
    { kind: 'send', time: 0, page: 0, id: 'state', data: { playing: true }, retained: true, hise: false },
    { kind: 'send', time: 1, page: 0, id: 'scope', data: new Float32Array([1, 2]), retained: false, hise: true },
    { kind: 'send', time: 2, page: 0, id: 'text-json', data: { a: 1 }, retained: false, hise: true },
    { kind: 'send', time: 3, page: 3, id: 'pcm', data: new Int16Array([5, -5]), retained: false, hise: false },
    { kind: 'call', time: 4, page: 3, call: 1, direction: 'page-to-host', callKind: 'call', name: 'add', args: [2, 3] },
    { kind: 'settle', time: 5, call: 1, duration: 1, ok: true, value: 5 },
    { kind: 'call', time: 6, page: 3, call: 2, direction: 'page-to-host', callKind: 'call', name: 'add', args: [1, 1] },
    { kind: 'settle', time: 7, call: 2, duration: 1, ok: true, value: 2 },
    { kind: 'call', time: 8, page: 3, call: 3, direction: 'page-to-host', callKind: 'call', name: 'fail', args: [] },
    { kind: 'settle', time: 9, call: 3, duration: 1, ok: false, error: { name: 'CallError', message: 'no', code: 'NOPE' } },
    { kind: 'call', time: 10, page: 3, call: 4, direction: 'page-to-host', callKind: 'call', name: 'unanswered', args: [] },
    { kind: 'call', time: 11, page: 3, call: 5, direction: 'host-to-page', callKind: 'call', name: 'pageSide', args: [] },
  ];

  async function replaying(): Promise<{ wv: WebView; port: number; loops: () => number }> {
    const { wv, port } = await startHost();
    const playing = replay(wv, recordingOf(SESSION));
    replays.push(playing);
    return { wv, port, loops: () => playing.loops };
  }

  it('plays the messages with their ids and types, looping, and a page that connects later gets the retained ones', async () => {
    const { port, loops } = await replaying();
    const client = await modernPage(port);
    const seen: [string, unknown][] = [];
    client.onAny((id, data) => void seen.push([id, data]));
    await until(() => loops() >= 3 && seen.filter(([id]) => id === 'pcm').length >= 2, 10_000, 'three loops');
    const firstLoop = seen.slice(seen.findIndex(([id]) => id === 'state'));
    expect(firstLoop.slice(0, 4)).toEqual([
      ['state', { playing: true }],
      ['scope', new Float32Array([1, 2])],
      ['text-json', '{"a":1}'], // sendToWebsocket's object arrives as text, as it did
      ['pcm', new Int16Array([5, -5])], // sent to one page while recording: every page now
    ]);
    const retained: unknown[] = [];
    const later = connect<any>({ port, host: '127.0.0.1', WebSocket: WebSocket as never });
    clients.push(later);
    later.on('state', (data) => void retained.push(data));
    await until(() => retained.length > 0, 10_000, 'the retained state');
    expect(retained[0]).toEqual({ playing: true });
  });

  it('answers calls from the recording: same arguments, else the last result; recorded errors; NO_RECORDED_RESULT', async () => {
    const { port } = await replaying();
    const client = await modernPage(port);
    await expect(client.call('add', 2, 3)).resolves.toBe(5);
    await expect(client.call('add', 1, 1)).resolves.toBe(2);
    await expect(client.call('add', 40, 2)).resolves.toBe(2); // no match: the last recorded result
    await expect(client.call('fail')).rejects.toMatchObject({ code: 'NOPE', message: 'no' });
    await expect(client.call('unanswered')).rejects.toMatchObject({ code: 'NO_RECORDED_RESULT' });
    await expect(client.call('pageSide')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' }); // the host called it: nothing to answer
    await expect(client.call('neverRecorded')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
  });

  it('a mock registered after the replay wins', async () => {
    const { wv, port } = await replaying();
    wv.handle('add', (a: number, b: number) => a * b);
    const client = await modernPage(port);
    await expect(client.call('add', 2, 3)).resolves.toBe(6);
  });

  it('with loop: false plays once', async () => {
    const { wv, port } = await startHost();
    await modernPage(port);
    const playing = replay(wv, recordingOf(SESSION.slice(0, 2)), { loop: false });
    replays.push(playing);
    await until(() => playing.loops === 1, 10_000, 'the end');
    const sent: string[] = [];
    wv.observe((o) => void (o.type === 'send' && sent.push(o.id)));
    // The sentinel: the same recording looping on another host, started after this one. Its third
    // loop comes a whole period after this one's second would have: by then nothing more was sent.
    const { wv: other } = await startHost();
    const looping = replay(other, recordingOf(SESSION.slice(0, 2)), { loop: true });
    replays.push(looping);
    await until(() => looping.loops >= 3, 10_000, 'three loops of the other replay');
    expect(sent).toEqual([]);
    expect(playing.loops).toBe(1);
  });
});

describe('stream time and parameters', () => {
  it('records sends with their stream time and sample position, parameters declared before and after it started, and every change with its source, page and gesture', async () => {
    const { wv, port } = await startHost();
    const cutoff = wv.parameter('cutoff', { min: 20, max: 20_000, default: 1000, step: 1, unit: 'Hz' });
    cutoff.set(1200);
    const file = tempFile();
    const recording = record(wv, file);
    wv.parameter('mode', { choices: ['lp', 'hp'], format: (value: string) => value.toUpperCase() });
    const client = await modernPage(port);
    const param = client.parameter('cutoff');
    await until(() => param.spec !== undefined);
    param.begin();
    param.set(1500);
    param.set(2500);
    param.end();
    await until(() => cutoff.value === 2500);
    wv.parameters.get('mode')!.set('hp');
    wv.send('scope', new Float32Array([0.5, -0.5]), { time: 1234.5, samplePosition: 48_000 });
    wv.send('plain', new Float32Array([1]));
    const summary = recording.stop();
    const { events } = readRecording(readFileSync(file), { allowTruncated: false });
    expect(summary.records).toBe(events.length);
    const pageId = wv.pages[0]!.id;
    expect(events.filter((e) => e.kind === 'parameter')).toEqual([
      expect.objectContaining({ id: 'cutoff', value: 1200, spec: cutoff.spec }),
      expect.objectContaining({ id: 'mode', value: 'lp', spec: expect.objectContaining({ type: 'choice', choices: ['lp', 'hp'] }) }),
    ]);
    expect(events.filter((e) => e.kind === 'change').map(({ id, value, source, page, inGesture, text }: any) => [id, value, source, page, inGesture, text])).toEqual([
      ['cutoff', 1500, 'page', pageId, true, '1500 Hz'],
      ['cutoff', 2500, 'page', pageId, true, '2500 Hz'],
      ['mode', 'hp', 'host', 0, false, 'HP'],
    ]);
    const sends = events.filter((e): e is Extract<RecordedEvent, { kind: 'send' }> => e.kind === 'send');
    expect(sends.find((e) => e.id === 'scope')).toMatchObject({ data: new Float32Array([0.5, -0.5]), meta: { time: 1234.5, samplePosition: 48_000 } });
    expect(sends.find((e) => e.id === 'plain')!.meta).toBeUndefined();
  });

  it('replays them: sends go out with their sample position and their time as far from the send as recorded; parameters are declared and move', async () => {
    const session = recordingOf([
      { kind: 'parameter', time: 0, id: 'gain', spec: { type: 'number', min: 0, max: 1, default: 0, step: 0, unit: '', label: 'Gain', skew: 'linear' }, value: 0.5 },
      { kind: 'change', time: 20, page: 3, id: 'gain', value: 0.2, source: 'page', inGesture: true, text: '20 %' },
      { kind: 'send', time: 25, page: 0, id: 'scope', data: new Float32Array([1, 2]), retained: false, hise: false, meta: { time: 0, samplePosition: 96_000 } },
      { kind: 'change', time: 40, page: 0, id: 'gain', value: 0.8, source: 'host', inGesture: false, text: '80 %' },
    ]);
    // Recorded an hour ago; its stream time led its send (at 25 ms) by 40 ms.
    session.startTime = Date.now() - 3_600_000;
    (session.events[2] as { meta: { time: number } }).meta.time = session.startTime + 25 + 40;
    const { wv, port } = await startHost();
    const sent: Extract<Observation, { type: 'send' }>[] = [];
    wv.observe((o) => void (o.type === 'send' && sent.push(o)));
    const client = await modernPage(port);
    const metas: MessageMeta[] = [];
    client.on('scope', (_data: unknown, meta: MessageMeta) => void metas.push(meta));
    const param = client.parameter('gain');
    const seen: unknown[] = [];
    param.subscribe((value) => void seen.push(value));
    replays.push(replay(wv, session, { loop: false }));
    expect(wv.parameters.get('gain')!.spec).toMatchObject({ type: 'number', label: 'Gain' });
    await until(() => param.value === 0.8 && metas.length === 1, 10_000, 'the replay played');
    expect(param.text).toBe('80 %'); // the recorded texts stand in for the recorded host's format
    expect(seen).toContain(0.8);
    const scope = sent.find((o) => o.id === 'scope')!;
    expect(scope.meta!.samplePosition).toBe(96_000);
    expect(Math.abs(scope.meta!.time! - scope.time - 40)).toBeLessThan(20);
    expect(metas[0]).toMatchObject({ time: scope.meta!.time, samplePosition: 96_000 });
  });
});
