import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type ConnectOptions, type HiseClient } from '../../src/client/index.js';
import { SUBPROTOCOL, WebView, type Contract, type Page } from '../../src/host/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';

// The modern client against a real host, in Node (the same client runs in Chromium in test/browser).
const clients: HiseClient<any>[] = [];
function nodeClient<C extends Contract>(port: number, options: Partial<ConnectOptions> = {}): HiseClient<C> {
  const client = connect<C>({ port, host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100, ...options });
  clients.push(client);
  return client;
}
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function connected(wv: WebView, client: HiseClient<any>): Promise<Page> {
  const page = nextEvent(wv, 'connect');
  await client.ready;
  return ((await page) as [Page])[0];
}

describe('negotiation', () => {
  it('the modern client gets hise-webview.1; a plain client gets HISE frames only', async () => {
    const { wv, port } = await startHost();
    const modern = nodeClient(port);
    const page = await connected(wv, modern);
    expect(modern.mode).toBe('extended');
    expect(page.extended).toBe(true);
    const plain = new RecordingClient(`ws://127.0.0.1:${port}`);
    await plain.opened;
    expect(plain.socket.protocol).toBe('');
    await until(() => wv.pages.length === 2);
    wv.send('bytes', new Uint8Array([1, 2, 3])); // no HISE form: legacy pages skip it
    wv.send('state', { gain: 1 });
    wv.send('scope', new Float32Array([0.5]));
    wv.send('end', 'sentinel'); // after the skipped one: when it is here, a legacy page would have had 'bytes' before it
    const frames = await plain.waitFor(3);
    expect(plain.messages).toHaveLength(3);
    expect(frames[2]!.subarray(3, 6).toString()).toBe('end');
    expect(frames[0]![0]).toBe(0x01); // JSON as a HISE string
    expect(frames[0]!.subarray(13).toString()).toBe('{"gain":1}');
    expect(frames[1]![0]).toBe(0x02);
  });
  // The fallback against a host that ignores subprotocols runs in Chromium (test/browser/pairings):
  // Node's `ws` client refuses such a handshake, browsers accept it with protocol ''.
});

describe('ids and types both ways', () => {
  it('every payload type arrives as itself, with its id', async () => {
    const { wv, port } = await startHost();
    const byId = new Map<string, unknown>();
    wv.setWebSocketCallback((data, _page, id) => void byId.set(id!, data));
    const client = nodeClient(port);
    const received = new Map<string, unknown>();
    client.onAny((id, data) => void received.set(id, data));
    await connected(wv, client);
    const values: Record<string, unknown> = {
      text: 'héllo',
      json: { list: [1, 'two'], nested: { ok: true } },
      f32: new Float32Array([0.25, -1]),
      f64: new Float64Array([Math.PI]),
      i16: new Int16Array([-32768, 32767]),
      i32: new Int32Array([-1, 2 ** 31 - 1]),
      bytes: new Uint8Array([0, 255, 128]),
    };
    for (const [id, value] of Object.entries(values)) {
      wv.send(id, value as never);
      client.send(id, value as never);
    }
    await until(() => received.size === 7 && byId.size === 7);
    for (const [id, value] of Object.entries(values)) {
      expect(received.get(id), `host → page ${id}`).toEqual(value);
      expect(byId.get(id), `page → host ${id}`).toEqual(value);
    }
  });

  it('sendTo reaches one page only', async () => {
    const { wv, port } = await startHost();
    const a = nodeClient(port);
    const b = nodeClient(port);
    const gotA: unknown[] = [];
    const gotB: unknown[] = [];
    a.on('only', (data) => void gotA.push(data));
    b.on('only', (data) => void gotB.push(data));
    const pageA = await connected(wv, a);
    await b.ready;
    await until(() => wv.pages.length === 2);
    expect(wv.sendTo(pageA, 'only', new Float32Array([1]))).toBe('sent');
    expect(wv.sendTo(pageA, 'only', { to: 'a' })).toBe('sent');
    await until(() => gotA.length === 2);
    // The sentinel: sent to B after the two sends to A; had either gone to B, it would have come first.
    const sentinel: unknown[] = [];
    b.on('sentinel', (data) => void sentinel.push(data));
    const pageB = wv.pages.find((p) => p !== pageA)!;
    expect(wv.sendTo(pageB, 'sentinel', 'last')).toBe('sent');
    await until(() => sentinel.length === 1);
    expect(gotB).toEqual([]);
    pageA.terminate();
    await pageA.closed;
    expect(wv.sendTo(pageA, 'only', 'gone')).toBe('dropped');
  });

  it('onMessage(id) gets only its id; offMessage removes it', async () => {
    const { wv, port } = await startHost();
    const gains: unknown[] = [];
    const handler = (value: unknown) => void gains.push(value);
    const remove = wv.onMessage('gain', handler);
    const client = nodeClient(port);
    await connected(wv, client);
    client.send('gain', 0.5);
    client.send('other', 1);
    await until(() => gains.length === 1);
    remove();
    const synced: unknown[] = [];
    wv.onMessage('sync', (value) => void synced.push(value));
    client.send('gain', 0.7);
    client.send('sync', 'x'); // the sentinel: handled after the 'gain' before it
    await until(() => synced.length === 1);
    expect(gains).toEqual([0.5]);
  });

  it('counts frames the host coalesced from sequence gaps', async () => {
    const { wv, port } = await startHost({ highWaterMark: 64 * 1024 });
    const sockets: WebSocket[] = [];
    class SpiedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    }
    const client = nodeClient(port, { WebSocket: SpiedWebSocket as never });
    const seqs: number[] = [];
    let dropped = 0;
    client.on('scope', (_data, meta) => {
      seqs.push(meta.seq!);
      dropped += meta.dropped;
    });
    await connected(wv, client);
    const raw = (sockets[0] as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause(); // the page stops reading
    const frame = new Float32Array(8192);
    for (let i = 0; i < 300; i++) {
      wv.send('scope', frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(wv.pages[0]!.stats.framesCoalesced).toBeGreaterThan(0);
    raw.resume();
    await until(() => seqs.at(-1) === 300, 10_000);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(dropped).toBeGreaterThan(0);
    expect(seqs.length + dropped).toBe(300);
    expect(client.dropped).toBe(dropped);
  });
});

describe('calls', () => {
  interface Api extends Contract {
    host: { add(a: number, b: number): number; fail(): never; slow(): Promise<string> };
    page: { double(x: number): number; boom(): void; hang(): Promise<void> };
  }

  it('page → host: results resolve, errors reject rebuilt with name, message and code', async () => {
    const { wv, port } = await startHost();
    const api = wv as unknown as WebView<Api>;
    api.handle('add', (a, b) => a + b);
    api.handle('fail', () => {
      throw Object.assign(new RangeError('out of range'), { code: 'E_RANGE' });
    });
    const client = nodeClient<Api>(port);
    await connected(wv, client);
    expect(await client.call('add', 2, 3)).toBe(5);
    await expect(client.call('fail')).rejects.toMatchObject({ name: 'RangeError', message: 'out of range', code: 'E_RANGE' });
    await expect((client as HiseClient).call('missing')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
    await expect((client as HiseClient).call('__proto__')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
  });

  it('host → page: results, errors, unknown names, one page or all', async () => {
    const { wv, port } = await startHost();
    const api = wv as unknown as WebView<Api>;
    const a = nodeClient<Api>(port);
    const b = nodeClient<Api>(port);
    a.handle('double', (x) => x * 2);
    b.handle('double', (x) => x * 3);
    a.handle('boom', () => {
      throw new Error('page failed');
    });
    const pageA = await connected(wv, a);
    await b.ready;
    await until(() => wv.pages.length === 2);
    expect(await api.call(pageA, 'double', 21)).toBe(42);
    await expect(wv.call(pageA, 'double', 1n)).rejects.toMatchObject({ code: 'UNSERIALIZABLE' });
    await expect((a as HiseClient).call('anything', 1n)).rejects.toMatchObject({ code: 'UNSERIALIZABLE' });
    await expect(api.call(pageA, 'boom')).rejects.toMatchObject({ message: 'page failed', code: 'REMOTE_ERROR' });
    await expect(wv.call(pageA, 'constructor')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
    const all = await api.call('all', 'double', 2);
    expect(all.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)).sort()).toEqual([4, 6]);
  });

  it('calls time out with CALL_TIMEOUT', async () => {
    const { wv, port } = await startHost({ callTimeout: 50 });
    const api = wv as unknown as WebView<Api>;
    api.handle('slow', () => new Promise<string>(() => undefined));
    const client = nodeClient<Api>(port, { callTimeout: 50 });
    client.handle('hang', () => new Promise<void>(() => undefined));
    const page = await connected(wv, client);
    await expect(client.call('slow')).rejects.toMatchObject({ code: 'CALL_TIMEOUT' });
    await expect(api.call(page, 'hang')).rejects.toMatchObject({ code: 'CALL_TIMEOUT' });
  });

  it('pending calls reject with DISCONNECTED on both sides when the connection drops', async () => {
    const { wv, port } = await startHost();
    const api = wv as unknown as WebView<Api>;
    api.handle('slow', () => new Promise<string>(() => undefined));
    const client = nodeClient<Api>(port, { reconnect: false });
    let hanging = false;
    client.handle('hang', () => {
      hanging = true;
      return new Promise<void>(() => undefined);
    });
    const page = await connected(wv, client);
    let slowCalled = false;
    const stopObserving = wv.observe((o) => void (o.type === 'call' && o.name === 'slow' && (slowCalled = true)));
    const fromPage = client.call('slow');
    const fromHost = api.call(page, 'hang');
    await until(() => hanging && slowCalled, 5000, 'both calls under way');
    stopObserving();
    page.terminate();
    await expect(fromPage).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(fromHost).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('a HISE-style page cannot be called: NOT_SUPPORTED', async () => {
    const { wv, port } = await startHost();
    const plain = new RecordingClient(`ws://127.0.0.1:${port}`);
    await plain.opened;
    await until(() => wv.pages.length === 1);
    await expect(wv.call(wv.pages[0]!, 'anything')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('reconnect', () => {
  it('retained ids reach every page that connects or reconnects', async () => {
    const { wv, port } = await startHost();
    wv.retain('state');
    wv.send('state', { gain: -3 });
    wv.send('transient', 'only for the first page');
    const client = nodeClient(port);
    const states: unknown[] = [];
    client.on('state', (data) => void states.push(data));
    const page = await connected(wv, client);
    await until(() => states.length === 1);
    wv.send('state', { gain: -6 });
    await until(() => states.length === 2);
    const again = nextEvent(wv, 'connect');
    page.terminate();
    await again;
    await until(() => states.length === 3);
    expect(states).toEqual([{ gain: -3 }, { gain: -6 }, { gain: -6 }]);
    const second = nodeClient(port);
    const secondStates: unknown[] = [];
    second.on('state', (data) => void secondStates.push(data));
    await until(() => secondStates.length === 1);
    expect(secondStates).toEqual([{ gain: -6 }]);
  });

  it('messages sent across a killed connection arrive exactly once, in order', async () => {
    const { wv, port } = await startHost();
    const inbox: number[] = [];
    wv.onMessage('n', (value) => void inbox.push(value as number));
    const client = nodeClient(port);
    let page = await connected(wv, client);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) client.send('n', round * 40 + i);
      // Kill the connection mid-stream, before the host's acks can all arrive.
      const reconnected = nextEvent(wv, 'connect');
      page.terminate();
      page = ((await reconnected) as [Page])[0];
    }
    await until(() => inbox.length >= 200 && client.queued === 0, 10_000);
    expect(inbox).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('host → page strings and JSON arrive exactly once, in order, across killed connections and while away', async () => {
    const { wv, port } = await startHost();
    const client = nodeClient(port);
    const got: number[] = [];
    client.on('n', (value) => void got.push(value as number));
    let page = await connected(wv, client);
    let next = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 30; i++) wv.send('n', next++); // JSON
      const reconnected = nextEvent(wv, 'connect');
      page.terminate(); // cut before the page's acks can all arrive
      for (let i = 0; i < 10; i++) wv.send('n', next++); // sent while the page is away
      page = ((await reconnected) as [Page])[0];
    }
    for (let i = 0; i < 10; i++) wv.send('n', next++);
    let ended = false;
    client.on('end', () => void (ended = true));
    wv.send('end', true); // in order after every 'n': a duplicate resent would arrive before it
    await until(() => ended, 10_000);
    expect(got).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('a new host (a new epoch) numbers from 1 again and the page accepts it', async () => {
    const first = new WebView();
    const port = await first.setEnableWebSocket(0);
    const client = nodeClient(port);
    const got: string[] = [];
    client.on('text', (value) => void got.push(value as string));
    await connected(first, client);
    for (let i = 0; i < 5; i++) first.sendToWebsocket('text', `old ${i}`);
    await until(() => got.length === 5);
    await first.close();
    const second = new WebView();
    try {
      const reconnected = nextEvent(second, 'connect');
      await second.setEnableWebSocket(port);
      await reconnected;
      second.sendToWebsocket('text', 'new 0');
      await until(() => got.length === 6, 10_000);
      expect(got.at(-1)).toBe('new 0');
    } finally {
      await second.close();
    }
  });

  it('messages sent while disconnected are queued (bounded) and delivered after the host returns', async () => {
    const first = new WebView();
    const port = await first.setEnableWebSocket(0);
    const client = nodeClient(port, { maxQueue: 3 });
    await connected(first, client);
    await first.close();
    await until(() => client.status !== 'open');
    expect(client.send('n', 1)).toBe('queued');
    expect(client.send('n', 2)).toBe('queued');
    expect(client.send('n', 3)).toBe('queued');
    expect(client.send('n', 4)).toBe('dropped');
    const second = new WebView();
    try {
      const inbox: unknown[] = [];
      second.onMessage('n', (value) => void inbox.push(value));
      await second.setEnableWebSocket(port);
      await until(() => inbox.length === 3, 10_000);
      expect(inbox).toEqual([1, 2, 3]);
    } finally {
      await second.close();
    }
  });
});

describe('token', () => {
  it('refuses a connection without the right token (closed with 4401, nothing admitted), accepts the right one', async () => {
    const { wv, port } = await startHost({ token: 's3cret' });
    const refused = nextEvent(wv, 'refused');
    const wrong = new RecordingClient(`ws://127.0.0.1:${port}/?token=nope`);
    expect(await refusalOf(wrong.socket)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect(((await refused) as [{ reason: string }])[0].reason).toBe('token');
    const none = new RecordingClient(`ws://127.0.0.1:${port}/`, { protocol: SUBPROTOCOL } as never);
    expect(await refusalOf(none.socket)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect(wv.pages).toHaveLength(0);
    const client = nodeClient(port, { token: 's3cret' });
    await client.ready;
    expect(client.mode).toBe('extended');
  });
});
