import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type ConnectOptions, type HiseClient, type MessageMeta } from '../../src/client/index.js';
import { hostTime, SUBPROTOCOL, WebView, type Page, type WebViewError } from '../../src/host/index.js';
import {
  createSessionId,
  decodeFrame,
  encodeStreamAck,
  encodeSubscriptions,
  encodeTimeSync,
  encodeVisibility,
  FrameType,
  readStreamsReady,
  readStreamWindow,
  readTimedFrame,
  readTimeSync,
  type Frame,
} from '../../src/protocol/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';

// Fresh streams (issue 14) against a real host: a raw extended client that acks only when told,
// so the window and what waits are exact; and the modern client in Node for time and negotiation.
// The same behaviours in Chromium: test/browser/fresh-streams.test.ts.

const clients: HiseClient<any>[] = [];
const raws: RecordingClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const raw of raws.splice(0)) raw.socket.terminate();
});

function nodeClient(port: number, options: Partial<ConnectOptions> = {}): HiseClient<any> {
  const client = connect({ port, host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100, ...options });
  clients.push(client);
  return client;
}

/** A raw extended client; `streams` offers fresh streams. */
async function rawClient(wv: WebView, port: number, streams = true): Promise<{ raw: RecordingClient; page: Page; frames: () => Frame[] }> {
  const connected = nextEvent(wv, 'connect');
  const query = `session=${createSessionId()}${streams ? '&streams=1' : ''}`;
  const raw = new RecordingClient(`ws://127.0.0.1:${port}/?${query}`, {}, [SUBPROTOCOL]);
  raws.push(raw);
  await raw.opened;
  const page = ((await connected) as [Page])[0];
  const frames = () => raw.messages.map((m) => decodeFrame(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength)));
  return { raw, page, frames };
}

const FLOATS = 2048;
const streamFrames = (frames: Frame[]) => frames.filter((f) => f.type === FrameType.Float32 || f.type === FrameType.Timed);
const bytesOf = (raw: RecordingClient, from = 0) =>
  raw.messages.slice(from).reduce((n, m) => {
    const type = m.data[0]! & 0x7f;
    return type === FrameType.Float32 || type === FrameType.Timed ? n + m.data.byteLength : n;
  }, 0);

describe('credit window', () => {
  it('announces itself after Hello; keeps at most the window in flight; the newest per id waits; strings pass', async () => {
    const window = 32 * 1024;
    const { wv, port } = await startHost({ streamWindow: window });
    const { raw, page, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    expect(frames().map((f) => f.type)).toEqual([FrameType.Hello, FrameType.StreamsReady]);
    expect(readStreamsReady(frames()[1]!)).toEqual({ version: 1, windowBytes: window });
    const data = new Float32Array(FLOATS);
    for (let tick = 0; tick < 10; tick++) {
      for (const id of ['a', 'b']) {
        data[0] = tick;
        wv.send(id, data);
      }
    }
    wv.send('note', 'control still goes');
    await until(() => frames().some((f) => f.type === FrameType.String), 5000, 'the string');
    const early = streamFrames(frames());
    // Three frames of 8 KiB fit in 32 KiB; the rest waits, one frame per id.
    expect(early).toHaveLength(3);
    expect(page.streamStats).toMatchObject({ windowBytes: window, waiting: 2 });
    expect(page.streamStats!.bytesInFlight).toBe(bytesOf(raw));
    const before = raw.messages.length;
    raw.socket.send(encodeStreamAck(bytesOf(raw)));
    await raw.waitFor(before + 2);
    const released = streamFrames(frames().slice(before));
    expect(released.map((f) => [f.id, new Float32Array(f.bytes.slice().buffer)[0]])).toEqual([
      ['b', 9],
      ['a', 9],
    ]);
    const stats = page.streamStats!;
    expect(stats.ids.get('a')).toMatchObject({ sent: 3, coalesced: 7 });
    expect(stats.ids.get('b')).toMatchObject({ sent: 2, coalesced: 8 });
  });

  it('a frame larger than the window still goes, alone', async () => {
    const { wv, port } = await startHost({ streamWindow: 1024 });
    const { raw, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    wv.send('big', new Float32Array(4096));
    wv.send('big', new Float32Array(4096));
    await raw.waitFor(3);
    wv.send('note', 'strings pass the window'); // the sentinel: written after the second frame, had it gone
    await until(() => frames().some((f) => f.type === FrameType.String));
    expect(streamFrames(frames())).toHaveLength(1);
    raw.socket.send(encodeStreamAck(bytesOf(raw)));
    await raw.waitFor(4);
  });

  it('tells the page its window (StreamWindow) once it has grown half again past what the page knows, not on an ack that leaves it', async () => {
    const window = 32 * 1024;
    // A latency far above any queueing here: every ack of a full window grows it.
    const { wv, port } = await startHost({ streamWindow: window, streamLatency: 60_000 });
    const { raw, page, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    const data = new Float32Array(FLOATS);
    const told = () => frames().filter((f) => f.type === FrameType.StreamWindow);
    let acks = 0;
    let acked = 0;
    while (told().length === 0 && acks < 100) {
      while (page.streamStats!.waiting === 0) wv.send('a', data);
      await until(() => bytesOf(raw) === acked + page.streamStats!.bytesInFlight, 5000, 'the window to arrive');
      acked = bytesOf(raw);
      raw.socket.send(encodeStreamAck(acked));
      acks++;
      await until(() => page.streamStats!.waiting === 0 || told().length > 0, 5000, 'the ack');
    }
    expect(told()).toHaveLength(1);
    const advertised = readStreamWindow(told()[0]!);
    expect(advertised).toBeGreaterThanOrEqual(window * 1.5);
    expect(advertised).toBe(page.streamStats!.windowBytes);
    // An ack that does not move the window (nothing waited for credit) tells the page nothing.
    const before = raw.messages.length;
    wv.send('a', data);
    await raw.waitFor(before + 1);
    raw.socket.send(encodeStreamAck(bytesOf(raw)));
    wv.send('note', 'after the ack');
    await until(() => frames().some((f) => f.type === FrameType.String), 5000, 'the string');
    expect(told()).toHaveLength(1);
    expect(page.streamStats!.windowBytes).toBe(advertised);
  });

  it('an ack of more than was sent is refused as INVALID_FRAME', async () => {
    const { wv, port } = await startHost();
    const { raw } = await rawClient(wv, port);
    const error = nextEvent(wv, 'error');
    raw.socket.send(encodeStreamAck(100));
    expect(((await error) as [WebViewError])[0].code).toBe('INVALID_FRAME');
  });
});

describe('negotiation', () => {
  it('an extended client that did not offer fresh streams gets every frame, untimed, and may not send their frames', async () => {
    const { wv, port } = await startHost({ streamWindow: 1024 });
    const { raw, page, frames } = await rawClient(wv, port, false);
    await raw.waitFor(1);
    for (let i = 0; i < 5; i++) wv.send('s', new Float32Array(FLOATS), { time: hostTime() });
    await raw.waitFor(6);
    expect(frames().map((f) => f.type)).toEqual([FrameType.Hello, ...Array(5).fill(FrameType.Float32)]);
    expect(page.streamStats).toBeUndefined();
    const error = nextEvent(wv, 'error');
    raw.socket.send(encodeVisibility(false));
    expect(((await error) as [WebViewError])[0].code).toBe('INVALID_FRAME');
  });

  it('the modern client against a host without fresh streams (a raw server that ignores ?streams) sends none of their frames', async () => {
    const { WebSocketServer } = await import('ws');
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => SUBPROTOCOL });
    await new Promise((resolve) => server.once('listening', resolve));
    const received: number[] = [];
    const opened = new Promise<import('ws').WebSocket>((resolve) => server.once('connection', resolve));
    const client = nodeClient((server.address() as { port: number }).port);
    const socket = await opened;
    socket.on('message', (data: Buffer) => received.push(data[0]! & 0x7f));
    await client.ready;
    // A host of before issue 14: Hello, then a stream frame.
    socket.send(Buffer.from(new Uint8Array([0x14, 1, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0])));
    const got = new Promise<unknown>((resolve) => client.on('f', resolve));
    socket.send(Buffer.from(new Uint8Array([0x02, 2, 0, 0x66, 0, 4, 0, 0, 0, 0, 0, 0x80, 0x3f])));
    expect(await got).toEqual(new Float32Array([1]));
    client.subscribe(['f'], { maxRate: 10 });
    const echo = new Promise((resolve) => socket.once('message', resolve));
    client.send('ping', 'x');
    await echo;
    expect(received.filter((type) => type >= 0x15 && type <= 0x1f)).toEqual([]);
    expect(client.hostTime()).toBeUndefined();
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('send options are checked: finite numbers, known keys, stream data only', async () => {
    const { wv } = await startHost();
    expect(() => wv.send('s', new Float32Array(1), { time: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => wv.send('s', new Float32Array(1), { when: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => wv.send('s', 'text', { time: 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new WebView({ streamWindow: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new WebView({ maxSubscriptionIds: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('time', () => {
  it('the host answers TimeSync with its clock; the modern client estimates it and gets meta.time / meta.samplePosition', async () => {
    const { wv, port } = await startHost();
    const { raw, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    const asked = 12.25;
    raw.socket.send(encodeTimeSync(asked));
    await raw.waitFor(3);
    const answer = readTimeSync(frames()[2]!);
    expect(answer.pageTime).toBe(asked);
    expect(Math.abs(answer.hostTime! - hostTime())).toBeLessThan(1000);

    const client = nodeClient(port);
    const metas: MessageMeta[] = [];
    client.on('scope', (_data, meta) => void metas.push(meta));
    await client.ready;
    await until(() => client.hostTime() !== undefined, 5000, 'a clock estimate');
    // Node's performance clocks of one process: the estimate is within a round trip of the truth
    // (a generous bound: a loaded machine's round trip, not the estimate's precision, sets it).
    expect(Math.abs(client.hostTime()! - hostTime())).toBeLessThan(1000);
    const time = hostTime();
    wv.send('scope', new Float32Array([1, 2]), { time, samplePosition: 48000 });
    wv.send('scope', new Float32Array([3]));
    await until(() => metas.length === 2);
    expect(metas[0]).toMatchObject({ time, samplePosition: 48000, seq: 1 });
    expect(metas[1]).toMatchObject({ time: undefined, samplePosition: undefined, seq: 2 });
  });

  it('a coalesced frame keeps its own time', async () => {
    const { wv, port } = await startHost({ streamWindow: 1 });
    const { raw, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    for (let i = 1; i <= 5; i++) wv.send('s', new Float32Array([i]), { time: 1000 + i, samplePosition: 512 * i });
    await raw.waitFor(3);
    raw.socket.send(encodeStreamAck(bytesOf(raw)));
    await raw.waitFor(4);
    const timed = streamFrames(frames()).map((f) => readTimedFrame(f));
    expect(timed.map(({ meta, frame }) => [meta.time, meta.samplePosition, new Float32Array(frame.bytes.slice().buffer)[0]])).toEqual([
      [1001, 512, 1],
      [1005, 2560, 5],
    ]);
  });
});

describe('subscriptions and visibility (host side, exact)', () => {
  it('unsubscribed ids are not sent; hidden holds the newest per id and sends it on visible', async () => {
    const { wv, port } = await startHost();
    const { raw, page, frames } = await rawClient(wv, port);
    await raw.waitFor(2);
    raw.socket.send(encodeSubscriptions({ all: true, rate: 0, ids: {}, except: ['b'] }));
    raw.socket.send(encodeVisibility(false));
    await until(() => page.streamStats!.visible === false);
    for (let i = 1; i <= 3; i++) for (const id of ['a', 'b', 'c']) wv.send(id, new Float32Array([i]));
    wv.send('note', 'hidden pages still get strings');
    await raw.waitFor(3);
    expect(streamFrames(frames())).toHaveLength(0);
    expect(page.streamStats!.ids.get('b')).toMatchObject({ unsubscribed: 3, sent: 0 });
    raw.socket.send(encodeVisibility(true));
    await raw.waitFor(5);
    expect(streamFrames(frames()).map((f) => [f.id, new Float32Array(f.bytes.slice().buffer)[0]])).toEqual([
      ['a', 3],
      ['c', 3],
    ]);
  });
});
