import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient } from '../../src/client/index.js';
import { CallError, WebView, type Observation, type Page } from '../../src/host/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';

// wv.observe: every message both ways, every call both ways with its outcome, pages coming and going.
const clients: HiseClient<any>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
async function modernPage(wv: WebView, port: number): Promise<{ client: HiseClient<any>; page: Page }> {
  const client = connect<any>({ port, host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100 });
  clients.push(client);
  const connected = nextEvent(wv, 'connect');
  await client.ready;
  return { client, page: ((await connected) as [Page])[0] };
}

describe('observe', () => {
  it('sees sends with their result and page, receives with their id, in order', async () => {
    const { wv, port } = await startHost();
    const seen: Observation[] = [];
    const stop = wv.observe((o) => void seen.push(o));
    const { client, page } = await modernPage(wv, port);
    expect(seen.filter((o) => o.type === 'connect')).toEqual([expect.objectContaining({ type: 'connect', page })]);
    const scope = new Float32Array([0.5, -0.5]);
    expect(wv.send('scope', scope)).toBe('sent');
    expect(wv.sendToWebsocket('label', 'hi')).toBe('sent');
    expect(wv.sendTo(page, 'state', { on: true })).toBe('sent');
    client.send('knob', 0.75);
    await until(() => seen.some((o) => o.type === 'receive'));
    const sends = seen.filter((o) => o.type === 'send');
    expect(sends).toEqual([
      expect.objectContaining({ id: 'scope', data: scope, stream: true, page: undefined, result: 'sent' }),
      expect.objectContaining({ id: 'label', data: 'hi', stream: false, page: undefined, result: 'sent' }),
      expect.objectContaining({ id: 'state', data: { on: true }, stream: false, page, result: 'sent' }),
    ]);
    expect(seen.find((o) => o.type === 'receive')).toEqual(expect.objectContaining({ id: 'knob', data: 0.75, page }));
    const times = seen.map((o) => o.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Math.abs(times[0]! - Date.now())).toBeLessThan(60_000);
    stop();
    const count = seen.length;
    wv.send('scope', scope);
    expect(seen.length).toBe(count);
  });

  it('sees a HISE-format page message without an id, and a queued send', async () => {
    const { wv, port } = await startHost();
    const seen: Observation[] = [];
    wv.observe((o) => void seen.push(o));
    expect(wv.sendToWebsocket('early', 'x')).toBe('queued');
    const plain = new RecordingClient(`ws://127.0.0.1:${port}`);
    await plain.opened;
    plain.socket.send('plain text');
    await until(() => seen.some((o) => o.type === 'receive'));
    expect(seen[0]).toEqual(expect.objectContaining({ type: 'send', id: 'early', result: 'queued' }));
    expect(seen.find((o) => o.type === 'receive')).toEqual(expect.objectContaining({ id: undefined, data: 'plain text' }));
    await plain.close();
    await until(() => seen.some((o) => o.type === 'disconnect'));
  });

  it('pairs every call with its settle, both ways, with duration, result or coded error', async () => {
    const { wv, port } = await startHost();
    const seen: Observation[] = [];
    wv.observe((o) => void seen.push(o));
    wv.handle('add', (a: number, b: number) => a + b);
    wv.handle('fail', () => {
      throw new CallError('NOPE', 'no');
    });
    const { client, page } = await modernPage(wv, port);
    client.handle('echo', (value: unknown) => value);
    await expect(client.call('add', 2, 3)).resolves.toBe(5);
    await expect(client.call('fail')).rejects.toMatchObject({ code: 'NOPE' });
    await expect(wv.call(page, 'echo', 'x')).resolves.toBe('x');
    await expect(wv.call(page, 'missing')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
    const calls = seen.filter((o) => o.type === 'call');
    expect(calls.map((o) => [o.direction, o.kind, o.name, o.args])).toEqual([
      ['page-to-host', 'call', 'add', [2, 3]],
      ['page-to-host', 'call', 'fail', []],
      ['host-to-page', 'call', 'echo', ['x']],
      ['host-to-page', 'call', 'missing', []],
    ]);
    const settles = seen.filter((o) => o.type === 'settle');
    expect(settles.map((o) => [o.call, o.ok, o.value, o.error?.code])).toEqual([
      [calls[0]!.call, true, 5, undefined],
      [calls[1]!.call, false, undefined, 'NOPE'],
      [calls[2]!.call, true, 'x', undefined],
      [calls[3]!.call, false, undefined, 'UNKNOWN_FUNCTION'],
    ]);
    for (const settle of settles) expect(settle.duration).toBeGreaterThanOrEqual(0);
  });

  it('a throwing observer is reported as OBSERVER_FAILED, the others still run, and it cannot loop', async () => {
    const { wv, port } = await startHost();
    const errors: string[] = [];
    wv.on('error', (error) => void errors.push(error.code));
    let thrown = 0;
    wv.observe(() => {
      thrown++;
      throw new Error('observer bug');
    });
    const seen: string[] = [];
    wv.observe((o) => void seen.push(o.type));
    const { client } = await modernPage(wv, port);
    expect(wv.send('x', 'y')).toBe('sent');
    client.send('z', 1);
    await until(() => seen.includes('receive'));
    expect(errors.filter((c) => c === 'OBSERVER_FAILED').length).toBeGreaterThanOrEqual(3);
    expect(thrown).toBeGreaterThanOrEqual(3);
    expect(() => wv.observe('nope' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
