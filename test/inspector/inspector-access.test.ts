import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient } from '../../src/client/index.js';
import type { RefusedConnection } from '../../src/host/index.js';
import { attachInspector } from '../../src/inspector/index.js';
import { RefusalCode, SUBPROTOCOL } from '../../src/protocol/index.js';
import { refusalOf } from '../helpers/refusal.js';
import { rawGet, rawRequest, rawUpgrade } from '../hardening/raw-http.js';
import { startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';

// Who may open the inspector: it can send messages and call functions, so only the user's own
// browser holding its URL. Raw sockets, so nothing a client library would fix is fixed.

const SOCKET = '/__hise-webview/inspector/socket';
const clients: HiseClient<any>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

async function inspected(options: Parameters<typeof startHost>[0] = {}) {
  const { wv, port } = await startHost(options);
  const inspector = attachInspector(wv);
  const refused: RefusedConnection[] = [];
  wv.on('refused', (info) => refused.push(info));
  const origin = `http://127.0.0.1:${port}`;
  const upgrade = (query: string, headers: string[]) => rawUpgrade(port, `${SOCKET}${query}`, [`Sec-WebSocket-Protocol: ${SUBPROTOCOL}`, ...headers]);
  /** How a socket to `path` from the inspector's own page ends: a refused token is closed with 4401 right after the handshake. */
  const refusal = (path: string) => refusalOf(new WebSocket(`ws://127.0.0.1:${port}${path}`, [SUBPROTOCOL], { origin }));
  return { wv, port, inspector, refused, origin, upgrade, refusal };
}

/** An inspector connection as its page makes it (the modern client, the page's Origin). */
function inspectorClient(port: number, token: string, events: string[] = []): HiseClient<any> {
  class FromPage extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { Origin: `http://127.0.0.1:${port}` } });
    }
  }
  const client = connect<any>({ url: `ws://127.0.0.1:${port}${SOCKET}`, token, WebSocket: FromPage as never, minReconnectDelay: 20, maxReconnectDelay: 100 });
  client.onAny((id) => void events.push(id));
  clients.push(client);
  return client;
}

describe('inspector access', () => {
  it('opens with its token from its own origin, and only so', async () => {
    const { port, inspector, refused, origin, upgrade, refusal } = await inspected();
    const token = encodeURIComponent(inspector.token);
    expect((await upgrade(`?token=${token}`, [`Origin: ${origin}`])).status).toBe(101);
    expect(await refusal(SOCKET)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect(await refusal(`${SOCKET}?token=${token}x`)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect((await upgrade(`?token=${token}`, ['Origin: https://evil.example'])).status).toBe(403);
    // Another loopback page (a dev server, another app on localhost) is not the inspector's page.
    expect((await upgrade(`?token=${token}`, ['Origin: http://127.0.0.1:1'])).status).toBe(403);
    expect((await upgrade(`?token=${token}`, ['Origin: null'])).status).toBe(403);
    expect((await upgrade(`?token=${token}`, [])).status).toBe(403);
    // DNS rebinding: a foreign name in Host is refused before anything else, even with the token.
    expect((await upgrade(`?token=${token}`, [`Host: evil.example:${port}`, `Origin: http://evil.example:${port}`])).status).toBe(403);
    expect(refused.map((r) => r.reason)).toEqual(['token', 'token', 'origin', 'origin', 'origin', 'origin', 'host']);
  });

  it("the pages' token does not open it, nor does its token open anything else", async () => {
    const { inspector, refusal } = await inspected({ token: 'the-pages-token-1234' });
    expect(await refusal(`${SOCKET}?token=the-pages-token-1234`)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect(await refusal(`/?token=${encodeURIComponent(inspector.token)}`)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
  });

  it('serves its page with no secret in it, unframeable, under a CSP that runs only its own scripts', async () => {
    const { port, inspector } = await inspected();
    const page = await rawGet(port, '/__hise-webview/inspector/');
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(inspector.token);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(new URL(inspector.url!).hash).toBe(`#token=${encodeURIComponent(inspector.token)}`);
    expect((await rawGet(port, '/__hise-webview/inspector/inspector.js')).status).toBe(200);
    expect((await rawGet(port, '/__hise-webview/inspector')).headers.location).toBe('/__hise-webview/inspector/');
    expect((await rawGet(port, '/__hise-webview/inspector/nothing')).status).toBe(404);
    expect((await rawGet(port, '/__hise-webview/inspector/', [`Host: evil.example:${port}`])).status).toBe(403);
    const post = await rawRequest(port, `POST /__hise-webview/inspector/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(post.status).toBe(405);
  });

  it('is not a page: not in wv.pages, not counted by maxPages, never sent what the host broadcasts', async () => {
    const { wv, port, inspector } = await inspected({ maxPages: 1 });
    const page = new RecordingClient(`ws://127.0.0.1:${port}`);
    await page.opened;
    const events: string[] = [];
    const client = inspectorClient(port, inspector.token, events);
    await client.ready;
    await until(() => inspector.observing && events.includes('snapshot'), 10_000, 'a snapshot');
    expect(wv.pages).toHaveLength(1);
    wv.send('broadcast', 'to pages only');
    await until(() => page.messages.length > 0, 10_000, 'the page got it');
    const seen = events.length;
    await until(() => events.length > seen + 1, 10_000, 'more snapshots');
    expect(new Set(events)).toEqual(new Set(['history', 'snapshot']));
    await page.close();
  });

  it('stops observing when the host closes, and closes its own sockets', async () => {
    const { wv, port, inspector } = await inspected();
    const client = inspectorClient(port, inspector.token);
    await client.ready;
    await until(() => inspector.observing);
    await wv.close();
    expect(inspector.observing).toBe(false);
    expect(inspector.connected).toBe(0);
  });

  it('refuses inspectors over maxInspectors, and bad options with INVALID_OPTION', async () => {
    const { wv, port } = await startHost();
    const inspector = attachInspector(wv, { maxInspectors: 1 });
    const origin = `http://127.0.0.1:${port}`;
    const first = inspectorClient(port, inspector.token);
    await first.ready;
    const second = new WebSocket(`ws://127.0.0.1:${port}${SOCKET}?token=${encodeURIComponent(inspector.token)}`, [SUBPROTOCOL], { origin });
    expect(await refusalOf(second)).toMatchObject({ code: RefusalCode.Capacity, messages: 0 });
    expect(() => attachInspector(wv)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' })); // the path is taken
    expect(() => attachInspector(wv, { path: '/inspect/' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => attachInspector(wv, { path: '/__hise-webview/b/', token: 'short' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => attachInspector(wv, { path: '/__hise-webview/c/', updateRate: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => attachInspector(wv, { path: '/__hise-webview/d/', logSize: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('a stalled inspector gets the newest snapshot, not a backlog, and never holds back the pages', async () => {
    const { wv, port } = await startHost();
    const inspector = attachInspector(wv, { updateRate: 60 });
    const reader = new WebSocket(`ws://127.0.0.1:${port}${SOCKET}?token=${encodeURIComponent(inspector.token)}`, [SUBPROTOCOL], { headers: { Origin: `http://127.0.0.1:${port}` } });
    let snapshots = 0;
    reader.on('message', () => snapshots++);
    await new Promise((resolve, reject) => reader.once('open', resolve).once('error', reject));
    await until(() => snapshots > 0, 10_000, 'a first snapshot');
    const page = new RecordingClient(`ws://127.0.0.1:${port}`);
    await page.opened;
    reader.pause(); // the inspector stops reading; its socket's buffers fill
    // Big snapshots (each id previews a long string), 60 a second, to a reader that reads none.
    const text = 'x'.repeat(4000);
    for (let i = 0; i < 200; i++) wv.send(`id${i}`, `${i}${text}`);
    await until(() => inspector.stats.framesCoalesced > 0, 60_000, 'a coalesced snapshot');
    expect(inspector.stats.framesCoalesced).toBeGreaterThan(0);
    expect(inspector.connected).toBe(1); // not dropped as too slow: its updates are coalesced
    expect(inspector.stats.bufferedBytes).toBeLessThan(wv.options.highWaterMark + 4 * 1024 * 1024);
    await page.waitFor(200, 60_000); // every page message arrived meanwhile
    const before = snapshots;
    reader.resume();
    await until(() => snapshots > before, 30_000, 'snapshots again');
    reader.close();
    await page.close();
  }, 120_000);
});
