import { describe, expect, it } from 'vitest';
import { WebView, WebViewError } from '../../src/host/index.js';
import { connect, hex, until } from '../helpers/node-client.js';
import { nextEvent, startHost } from '../helpers/host.js';

describe('sendToWebsocket puts HISE frames on the wire', () => {
  it('a string as type 1, in a binary frame, byte for byte', async () => {
    const { wv, port } = await startHost();
    const client = await connect(port);
    expect(wv.sendToWebsocket('msg', 'hello')).toBe('sent');
    const [frame] = await client.waitFor(1);
    expect(client.messages[0]!.isBinary).toBe(true);
    expect(frame).toEqual(hex('01 | 04 00 | 6d 73 67 00 | 05 00 00 00 | 68 65 6c 6c 6f'));
  });

  it('a Float32Array as type 2, copied when sent', async () => {
    const { wv, port } = await startHost();
    const client = await connect(port);
    const samples = new Float32Array([0.5, -1]);
    wv.sendToWebSocket('buf', samples);
    samples[0] = 99; // later changes must not reach the page
    const [frame] = await client.waitFor(1);
    expect(frame).toEqual(hex('02 | 04 00 | 62 75 66 00 | 08 00 00 00 | 00 00 00 3f 00 00 80 bf'));
  });

  it('an object or array as JSON text, type 1', async () => {
    const { wv, port } = await startHost();
    const client = await connect(port);
    wv.sendToWebsocket('o', { gain: 0.5, on: true });
    wv.sendToWebsocket('a', [1, 'two']);
    wv.sendToWebsocket('n', Object.assign(Object.create(null), { k: 1 }));
    const frames = await client.waitFor(3);
    expect(frames[0]).toEqual(Buffer.concat([hex('01 | 02 00 | 6f 00 | 16 00 00 00'), Buffer.from('{"gain":0.5,"on":true}')]));
    expect(frames[1]!.subarray(9).toString()).toBe('[1,"two"]');
    expect(frames[2]!.subarray(9).toString()).toBe('{"k":1}');
  });

  it('non-ASCII ids and text arrive intact, lengths in bytes', async () => {
    const { wv, port } = await startHost();
    const client = await connect(port);
    wv.sendToWebsocket('Läutstärke', 'Grüße 🎚️');
    const [frame] = await client.waitFor(1);
    const idLength = frame!.readUInt16LE(1);
    expect(idLength).toBe(Buffer.byteLength('Läutstärke') + 1);
    expect(frame!.subarray(3, 3 + idLength - 1).toString()).toBe('Läutstärke');
    expect(frame!.readUInt32LE(3 + idLength)).toBe(Buffer.byteLength('Grüße 🎚️'));
    expect(frame!.subarray(7 + idLength).toString()).toBe('Grüße 🎚️');
  });

  it('sends 8192 floats whole', async () => {
    const { wv, port } = await startHost();
    const client = await connect(port);
    const samples = Float32Array.from({ length: 8192 }, (_, i) => Math.sin(i / 10));
    wv.sendToWebsocket('scope', samples);
    const [frame] = await client.waitFor(1);
    expect(frame!.byteLength).toBe(7 + 6 + 8192 * 4);
    expect(Buffer.from(frame!.subarray(13))).toEqual(Buffer.from(samples.buffer));
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['undefined', undefined],
    ['null', null],
    ['a Date', new Date()],
    ['a Map', new Map()],
    ['a Float64Array', new Float64Array(2)],
    ['a function', () => 1],
  ])('throws UNSUPPORTED_DATA for %s instead of dropping it', async (_name, data) => {
    const { wv } = await startHost();
    expect(() => wv.sendToWebsocket('x', data as never)).toThrow(WebViewError);
    expect(() => wv.sendToWebsocket('x', data as never)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATA' }));
  });

  it('throws coded errors for bad ids and unserialisable objects', async () => {
    const { wv } = await startHost();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => wv.sendToWebsocket(7 as never, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => wv.sendToWebsocket('a\0b', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => wv.sendToWebsocket('x'.repeat(70000), 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(() => wv.sendToWebsocket('x', cyclic)).toThrow(expect.objectContaining({ code: 'UNSERIALIZABLE_DATA' }));
    expect(() => wv.sendToWebsocket('x', '\ud800')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATA' }));
  });
});

describe('messages go to every connected page', () => {
  it('registered buffers: each updateBuffer sends the contents as of that call to every page', async () => {
    const { wv, port } = await startHost();
    const [a, b] = await Promise.all([connect(port), connect(port)]);
    const buffer = new Float32Array([1, 2]);
    wv.addBufferToWebSocket(3, buffer);
    wv.updateBuffer(3);
    buffer.set([5, 6]);
    wv.updateBuffer(3);
    for (const client of [a, b]) {
      const frames = await client.waitFor(2);
      expect(frames[0]).toEqual(hex('02 | 02 00 | 33 00 | 08 00 00 00 | 00 00 80 3f 00 00 00 40'));
      expect(frames[1]).toEqual(hex('02 | 02 00 | 33 00 | 08 00 00 00 | 00 00 a0 40 00 00 c0 40'));
    }
  });

  it('refuses buffer indexes outside 0–255 and unregistered ones', async () => {
    const { wv } = await startHost();
    expect(() => wv.addBufferToWebSocket(256, new Float32Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_BUFFER_INDEX' }));
    expect(() => wv.addBufferToWebSocket(-1, new Float32Array(1))).toThrow(expect.objectContaining({ code: 'INVALID_BUFFER_INDEX' }));
    expect(() => wv.addBufferToWebSocket(0, [1, 2] as never)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_DATA' }));
    expect(() => wv.updateBuffer(9)).toThrow(expect.objectContaining({ code: 'INVALID_BUFFER_INDEX' }));
  });
});

describe('before any page connects', () => {
  it('keeps the latest message per id and flushes them, first-queued order, to the first page', async () => {
    const { wv, port } = await startHost();
    expect(wv.sendToWebsocket('a', 'a1')).toBe('queued');
    wv.sendToWebsocket('b', 'b1');
    wv.sendToWebsocket('c', new Float32Array([1]));
    wv.sendToWebsocket('a', 'a2');
    wv.sendToWebsocket('c', new Float32Array([2]));
    const first = await connect(port);
    const frames = await first.waitFor(3);
    expect(frames.map((f) => f.subarray(3, 4).toString())).toEqual(['a', 'b', 'c']);
    expect(frames[0]!.subarray(9).toString()).toBe('a2');
    expect(frames[2]!.readFloatLE(9)).toBe(2);
    // A second page connecting later does not get them again.
    const second = await connect(port);
    wv.sendToWebsocket('z', 'live');
    expect((await second.waitFor(1))[0]!.subarray(9).toString()).toBe('live');
    expect(second.messages).toHaveLength(1);
  });

  it('sends before setEnableWebSocket are held like any other and reach the first page (HISE drops them)', async () => {
    const wv = new WebView();
    try {
      expect(wv.sendToWebsocket('early', 'before the server')).toBe('queued');
      const port = await wv.setEnableWebSocket(0);
      const page = await connect(port);
      const [frame] = await page.waitFor(1);
      expect(frame!.subarray(3, 8).toString()).toBe('early');
      expect(frame!.subarray(13).toString()).toBe('before the server');
    } finally {
      await wv.close();
    }
  });

  it('while a page keeps up, every message of an id arrives, in order (HISE keeps only the last per ~5 ms cycle)', async () => {
    const { wv, port } = await startHost();
    const page = await connect(port);
    await until(() => wv.pages.length === 1);
    for (let i = 0; i < 50; i++) expect(wv.sendToWebsocket('log', `line ${i}`)).toBe('sent');
    for (let i = 0; i < 50; i++) wv.sendToWebsocket('level', new Float32Array([i]));
    const frames = await page.waitFor(100);
    expect(frames.slice(0, 50).map((f) => f.subarray(11).toString())).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
    expect(frames.slice(50).map((f) => f.readFloatLE(13))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('drops a new id past maxPendingIds, says so, and reports PENDING_QUEUE_FULL', async () => {
    const { wv } = await startHost({ maxPendingIds: 2 });
    const errors: string[] = [];
    wv.on('error', (error) => errors.push(error.code));
    expect(wv.sendToWebsocket('a', '1')).toBe('queued');
    expect(wv.sendToWebsocket('b', '1')).toBe('queued');
    expect(wv.sendToWebsocket('a', '2')).toBe('queued'); // a held id may still be replaced
    expect(wv.sendToWebsocket('c', '1')).toBe('dropped');
    expect(errors).toEqual(['PENDING_QUEUE_FULL']);
  });
});

describe('connection events', () => {
  it('reports connect and disconnect with the page', async () => {
    const { wv, port } = await startHost();
    const connected = nextEvent(wv, 'connect');
    const client = await connect(port);
    const [page] = (await connected) as [{ id: number; origin: string | undefined }];
    expect(page.id).toBe(1);
    expect(wv.pages).toHaveLength(1);
    const disconnected = nextEvent(wv, 'disconnect');
    client.socket.close(4000, 'bye');
    const [gone, code, reason] = await disconnected;
    expect(gone).toBe(page);
    expect(code).toBe(4000);
    expect(reason).toBe('bye');
    expect(wv.pages).toHaveLength(0);
  });
});
