import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect as connectTcp, createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect as connectClient, type MessageMeta } from '../../src/client/index.js';
import { WebView, WebViewError, type Page } from '../../src/host/index.js';
import { encodeHubData, HubOp, HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL } from '../../src/protocol/hub.js';
import { loadSecret, memberProof, newNonce } from '../../src/host/shared-port/secret.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { freePort, InstanceProcess } from './instance-handle.js';

// The hub without a browser. Who holds the port: exactly one hub from a race, PORT_IN_USE for
// anything that is not a hub of this user, and a hub that refuses whoever cannot prove the secret
// (another user, a page) or sends it bad frames; and the API in one process (onMessage, sendTo).

const dirs: string[] = [];
const secretDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'hise-shared-secret-'));
  dirs.push(dir);
  return dir;
};
const processes: InstanceProcess[] = [];
const hosts: WebView[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop()));
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function host(sharedDirectory: string): WebView {
  const wv = new WebView({ shared: true, sharedDirectory });
  hosts.push(wv);
  return wv;
}

describe('shared port: who holds it', () => {
  it('two instance processes racing for an empty port: exactly one hub, the other joins it', async () => {
    const port = await freePort();
    const dir = secretDir();
    const racers = [new InstanceProcess(port, dir), new InstanceProcess(port, dir)];
    processes.push(...racers);
    const states = await Promise.all(racers.map((r) => r.started()));
    expect(states.map((s) => s.role).sort()).toEqual(['hub', 'member']);
    const hub = states.find((s) => s.role === 'hub')!;
    // Both agree on who the hub is, once the member's view has settled.
    const member = racers[states.indexOf(states.find((s) => s.role === 'member')!)]!;
    expect((await member.state()).hub).toBe(hub.self);
    expect(states.every((s) => s.port === port)).toBe(true);
  }, 60_000);

  it('several WebViews in one process share a port too, and a third joins whoever is hub', async () => {
    const dir = secretDir();
    const first = host(dir);
    const port = await first.setEnableWebSocket(0);
    const second = host(dir);
    expect(await second.setEnableWebSocket(port)).toBe(port);
    const third = host(dir);
    await third.setEnableWebSocket(port);
    expect([first.instances!.role, second.instances!.role, third.instances!.role]).toEqual(['hub', 'member', 'member']);
    expect(third.instances!.list.map((i) => i.order)).toEqual([0, 1, 2]);
    await until(() => second.instances!.list.length === 3, 10_000, 'the second instance seeing the third');
    const got = new Promise<unknown[]>((resolve) => third.instances!.once('message', (...args) => resolve(args)));
    expect(second.instances!.send(third.instances!.self, 'ping', { n: 1 })).toBe(true);
    expect(await got).toEqual(['ping', { n: 1 }, second.instances!.self]);
  });

  it('a send too large for the hub link is reported MESSAGE_TOO_LARGE and not relayed; the link stays up (no re-join loop)', async () => {
    const dir = secretDir();
    const first = new WebView({ shared: true, sharedDirectory: dir, maxPayload: 100_000 });
    const second = new WebView({ shared: true, sharedDirectory: dir, maxPayload: 100_000 });
    hosts.push(first, second);
    const port = await first.setEnableWebSocket(0);
    await second.setEnableWebSocket(port);
    let joins = 0;
    first.instances!.on('join', () => joins++);
    const errors: string[] = [];
    second.on('error', (error) => errors.push(error.code));
    const got: unknown[] = [];
    first.instances!.on('message', (id) => got.push(id));
    // A page on the shared port (served by the hub): it gets what any instance sends, unless too large.
    const page = new RecordingClient(`ws://127.0.0.1:${port}`);
    await page.opened;
    await until(() => first.pages.length === 1);
    second.sendToWebsocket('big', 'x'.repeat(200_000));
    expect(errors).toEqual(['MESSAGE_TOO_LARGE']);
    second.instances!.send(first.instances!.self, 'after', 1); // the link still carries what fits
    await until(() => got.includes('after'));
    // Not relayed: the page gets the next message, never the large one before it.
    second.sendToWebsocket('small', 'fits');
    await page.waitFor(1);
    expect(page.messages.map((m) => m.data.toString('latin1'))).not.toContainEqual(expect.stringContaining('xxxxxxxx'));
    expect(page.messages.map((m) => m.data.toString('latin1')).join('')).toContain('fits');
    // Not retained or logged: nothing held for a page that comes later, no session log.
    expect(second.sessionStats.messages).toBe(0);
    expect(first.sessionStats.messages).toBe(0);
    const later = new RecordingClient(`ws://127.0.0.1:${port}`);
    await later.opened;
    second.sendToWebsocket('sentinel', 'for the later page');
    await until(() => later.messages.some((m) => m.data.toString('latin1').includes('for the later page')));
    expect(later.messages.map((m) => m.data.toString('latin1')).join('')).not.toContain('xxxxxxxx');
    later.socket.close();
    page.socket.close();
    expect(joins).toBe(0);
    expect(second.instances!.role).toBe('member');
  });

  it('a port held by something that is not a hise-webview hub is PORT_IN_USE (a TCP listener, an HTTP server)', async () => {
    const dir = secretDir();
    const tcp = createTcpServer((socket) => socket.destroy());
    const http = createHttpServer((_request, response) => response.end('not a hub'));
    servers.push(tcp, http);
    for (const server of [tcp, http]) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const error = await host(dir).setEnableWebSocket(port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebViewError);
      expect((error as WebViewError).code).toBe('PORT_IN_USE');
    }
    http.closeAllConnections();
  });

  it('an instance process of another user (another secret) is refused by the hub and gets PORT_IN_USE', async () => {
    const hub = host(secretDir());
    const refusals: string[] = [];
    hub.on('error', (error) => refusals.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    const foreign = new InstanceProcess(port, secretDir());
    processes.push(foreign);
    await expect(foreign.started()).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    expect(hub.instances!.list).toHaveLength(1);
  });

  it('the hub refuses a joiner without the proof, and a page (any Origin) cannot pose as an instance', async () => {
    const hub = host(secretDir());
    const errors: string[] = [];
    hub.on('error', (error) => errors.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    // A browser page: it always sends Origin, and cannot set the nonce header.
    const page = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { origin: `http://127.0.0.1:${port}`, headers: { [HUB_NONCE_HEADER]: '0'.repeat(32) } });
    const status = await new Promise<number | undefined>((resolve) => page.once('unexpected-response', (_request, response) => resolve(response.statusCode)));
    expect(status).toBe(403);
    page.on('error', () => undefined).terminate();
    // A process that guesses: the hub closes it with 4401 and reports HUB_PROTOCOL_ERROR.
    const guesser = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: '1'.repeat(32) } });
    guesser.once('message', () => guesser.send(JSON.stringify({ t: 'hello', proof: 'f'.repeat(64), id: '0123456789abcdef', port: 1 })));
    const code = await new Promise<number>((resolve) => guesser.once('close', (closeCode: number) => resolve(closeCode)));
    expect(code).toBe(4401);
    expect(errors).toContain('HUB_PROTOCOL_ERROR');
    expect(hub.instances!.list).toHaveLength(1);
  });

  it('hostile upgrades cannot take the hub down: an unparsable target, a proof of another byte length, a reset, too many joiners', async () => {
    const hub = host(secretDir());
    hub.on('error', () => undefined);
    const port = await hub.setEnableWebSocket(0);
    const raw = (request: string, reset = false): Promise<string> =>
      new Promise((resolve) => {
        const socket = connectTcp({ port, host: '127.0.0.1' }, () => {
          socket.write(request);
          if (reset) socket.resetAndDestroy();
        });
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('error', () => resolve(answer));
        socket.on('close', () => resolve(answer));
      });
    const upgrade = (target: string, extra = ''): string =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
    // What `new WebSocket('ws://localhost:PORT//[')` sends from any web page.
    expect(await raw(upgrade('//['))).toMatch(/^HTTP\/1\.1 400 /);
    // A page socket tagged for an instance, reset before the hub answers.
    await raw(upgrade('/?instance=ffffffffffffffff'), true);
    await raw(upgrade(HUB_PATH, `${HUB_NONCE_HEADER}: ${'2'.repeat(32)}\r\nSec-WebSocket-Protocol: ${HUB_SUBPROTOCOL}\r\n`), true);
    // A proof of 64 characters but 128 UTF-8 bytes: refused, not a RangeError out of the handshake.
    const odd = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: '3'.repeat(32) } });
    odd.once('message', () => odd.send(JSON.stringify({ t: 'hello', proof: 'é'.repeat(64), id: '0123456789abcdef', port: 1 })));
    expect(await new Promise<number>((resolve) => odd.once('close', (code: number) => resolve(code)))).toBe(4401);
    // Joiners that never say hello: at most a few wait at once, the rest are answered 503.
    const silent = Array.from({ length: 6 }, (_, i) => new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: String(4 + i).repeat(32).slice(0, 32) } }));
    const outcomes = await Promise.all(
      silent.map((ws) => new Promise<string>((resolve) => {
        ws.once('message', () => resolve('challenged'));
        ws.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
        ws.on('error', () => undefined);
      })),
    );
    expect(outcomes.filter((o) => o === 'challenged')).toHaveLength(4);
    expect(outcomes.filter((o) => o === '503')).toHaveLength(2);
    for (const ws of silent) ws.terminate();
    // Still serving.
    const page = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise((resolve, reject) => page.once('open', resolve).once('error', reject));
    await until(() => hub.pages.length === 1);
    page.close();
  });

  it('a page socket tagged with an unknown instance is answered 503 (its client retries), never handed to the hub instance', async () => {
    const hub = host(secretDir());
    const port = await hub.setEnableWebSocket(0);
    const socket = new WebSocket(`ws://127.0.0.1:${port}/?instance=ffffffffffffffff`);
    const status = await new Promise<number | undefined>((resolve) => socket.once('unexpected-response', (_request, response) => resolve(response.statusCode)));
    expect(status).toBe(503);
    socket.on('error', () => undefined).terminate();
    expect(hub.pages).toHaveLength(0);
  });

  it('an authenticated member that sends bad frames: undecodable values and forged messages are reported, a frame in another instance\'s name closes its link', async () => {
    const dir = secretDir();
    const hub = host(dir);
    const errors: string[] = [];
    hub.on('error', (error) => errors.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    const nonce = newNonce();
    const member = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: nonce } });
    const id = 'a'.repeat(16);
    const welcomed = new Promise<void>((resolve) =>
      member.on('message', (data: Buffer, isBinary: boolean) => {
        const message = isBinary ? undefined : (JSON.parse(data.toString()) as { t: string; nonce: string });
        if (message?.t === 'challenge') member.send(JSON.stringify({ t: 'hello', proof: memberProof(loadSecret(dir), { hubPort: port, hubNonce: message.nonce, memberNonce: nonce }, { id, port: 1 }), id, port: 1 }));
        if (message?.t === 'welcome') resolve();
      }),
    );
    await welcomed;
    expect(hub.instances!.list.map((i) => i.id)).toContain(id);
    const bad = encodeHubData(HubOp.Send, 0, { o: id, s: 1, id: 'x' }, new Float32Array(1));
    bad[2] = 9; // an unknown value type
    member.send(bad);
    member.send(JSON.stringify({ t: 'msg', from: 'b'.repeat(16), to: '*', id: 'forged', data: 1 }));
    await until(() => errors.filter((code) => code === 'HUB_PROTOCOL_ERROR').length >= 2, 10_000, 'both reported');
    expect(member.readyState).toBe(WebSocket.OPEN);
    member.send(encodeHubData(HubOp.Send, 0, { o: 'c'.repeat(16), s: 2, id: 'x' }, 'posing'));
    const closeCode = await new Promise<number>((resolve) => member.once('close', (code: number) => resolve(code)));
    expect(closeCode).toBe(1002);
    await until(() => hub.instances!.list.length === 1, 10_000, 'the member gone');
  });

  it('in one process: onMessage at every instance gets a modern page\'s message with its page; sendTo reaches only the instance\'s own pages', async () => {
    const dir = secretDir();
    const hub = host(dir);
    const port = await hub.setEnableWebSocket(0);
    const member = host(dir);
    await member.setEnableWebSocket(port);
    const connected = new Promise<Page>((resolve) => member.once('connect', resolve));
    // What the bridge does for a page the member served: tag the socket with the member's id.
    const client = connectClient({ url: `ws://127.0.0.1:${port}/?instance=${member.instances!.self}`, WebSocket: WebSocket as never, reconnect: false });
    const own = await connected;
    expect(own.instance).toBe(member.instances!.self);
    expect(hub.pages).toHaveLength(0);
    const atHub = new Promise<[unknown, Page]>((resolve) => hub.onMessage('greet', (data, page) => resolve([data, page])));
    const atMember = new Promise<[unknown, Page]>((resolve) => member.onMessage('greet', (data, page) => resolve([data, page])));
    client.send('greet', { x: 1 });
    const [[dataAtHub, pageAtHub], [dataAtMember, pageAtMember]] = await Promise.all([atHub, atMember]);
    expect(dataAtHub).toEqual({ x: 1 });
    expect(dataAtMember).toEqual({ x: 1 });
    expect(pageAtMember).toBe(own);
    expect(pageAtHub).toMatchObject({ instance: member.instances!.self, id: own.id, extended: true });
    expect(hub.sendTo(pageAtHub, 'reply', 'from the hub')).toBe('dropped'); // not the hub's page
    const reply = new Promise<unknown>((resolve) => client.on('reply', resolve));
    expect(member.sendTo(own, 'reply', 'from its instance')).toBe('sent');
    expect(await reply).toBe('from its instance');
    client.close();
  });

  it("in one process: a member's stream sent with time and samplePosition reaches the hub's page with them", async () => {
    const dir = secretDir();
    const hub = host(dir);
    const port = await hub.setEnableWebSocket(0);
    const member = host(dir);
    await member.setEnableWebSocket(port);
    // Untagged: the page belongs to the hub; what the member sends reaches it through the hub.
    const client = connectClient({ port, host: '127.0.0.1', WebSocket: WebSocket as never, reconnect: false });
    const got = new Promise<[unknown, MessageMeta]>((resolve) => client.on('scope', (data, meta) => resolve([data, meta])));
    await client.ready;
    await until(() => hub.pages.length === 1);
    member.send('scope', new Float32Array([0.25]), { time: 1234.5, samplePosition: 96_000 }); // it has no page of its own
    const [data, meta] = await got;
    expect(data).toEqual(new Float32Array([0.25]));
    expect(meta).toMatchObject({ time: 1234.5, samplePosition: 96_000 });
    client.close();
  });
});
