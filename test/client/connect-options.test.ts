import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLIENT_DEFAULTS, ClientError, connect, hostPort, type HiseClient } from '../../src/client/index.js';
import { BRIDGE_CONFIG_GLOBAL } from '../../src/protocol/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { startHost } from '../helpers/host.js';

// `connect` refuses options it cannot use at once, with a coded error, instead of retrying a bad URL
// forever; and learns its port from the page's bridge when given none.

const clients: HiseClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  delete (globalThis as Record<string, unknown>)[BRIDGE_CONFIG_GLOBAL];
});

function refusal(options: unknown): ClientError {
  try {
    clients.push(connect({ WebSocket: WebSocket as never, ...(options as object) }));
  } catch (error) {
    expect(error).toBeInstanceOf(ClientError);
    return error as ClientError;
  }
  throw new Error(`connect(${JSON.stringify(options)}) did not throw`);
}

describe('invalid connect options throw ClientError INVALID_OPTION at once', () => {
  it.each([
    { options: { port: 0 }, message: /option port must be an integer from 1 to 65535/ },
    { options: { port: -1 }, message: /option port must be/ },
    { options: { port: 80.5 }, message: /option port must be/ },
    { options: { port: 65536 }, message: /option port must be/ },
    { options: { port: '8080' }, message: /option port must be .*got "8080"/ },
    { options: { port: Number.NaN }, message: /option port must be/ },
    { options: { url: 'http://localhost:8080/' }, message: /option url must be a ws:\/\/ or wss:\/\/ URL/ },
    { options: { url: 'not a url' }, message: /option url must be/ },
    { options: { port: 8080, token: 42 }, message: /option token must be a non-empty string, got 42/ },
    { options: { port: 8080, host: '' }, message: /option host must be a non-empty string/ },
    { options: { port: 8080, prot: 1 }, message: /unknown option 'prot'/ },
    { options: { port: 8080, callTimeout: 0 }, message: /option callTimeout must be a positive integer/ },
    { options: { port: 8080, maxQueue: 1.5 }, message: /option maxQueue must be a positive integer/ },
    { options: { port: 8080, reconnect: 'yes' }, message: /option reconnect must be true or false/ },
    { options: { port: 8080, minReconnectDelay: -1 }, message: /option minReconnectDelay must be/ },
    { options: { port: 8080, minReconnectDelay: 900, maxReconnectDelay: 100 }, message: /must not exceed maxReconnectDelay/ },
    { options: { url: 'ws://localhost:8080/', port: 8080 }, message: /either url, or port/ },
  ])('$options', ({ options, message }) => {
    const error = refusal(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it.each([
    { key: 'reconect', closest: 'reconnect' },
    { key: 'prot', closest: 'port' },
    { key: 'calltimeout', closest: 'callTimeout' },
    { key: 'maxReconectDelay', closest: 'maxReconnectDelay' },
  ])('an unknown key names the closest valid one: $key → $closest', ({ key, closest }) => {
    const error = refusal({ port: 8080, [key]: 1 });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(`unknown option '${key}'`);
    expect(error.message).toContain(`did you mean '${closest}'?`);
  });

  it('an unknown key like no valid one lists the valid ones', () => {
    const error = refusal({ port: 8080, somethingElse: true });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toMatch(/known: url, port, host, token, callTimeout/);
  });

  it('CLIENT_DEFAULTS holds only valid options: a client given all of them connects', async () => {
    const { port } = await startHost();
    const client = connect({ ...CLIENT_DEFAULTS, host: '127.0.0.1', port, WebSocket: WebSocket as never });
    clients.push(client);
    await client.ready;
    expect(client.mode).toBe('extended');
    expect(CLIENT_DEFAULTS).toMatchObject({ callTimeout: 10_000, maxQueueBytes: 8 * 1024 * 1024, minReconnectDelay: 250, maxReconnectDelay: 5000 });
  });

  it('options that are not an object', () => {
    for (const options of [null, 8080, 'ws://localhost:1/', []]) {
      expect(() => connect(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });

  it('no url, no port and no bridge: NO_PORT, naming what to do', () => {
    const error = refusal({});
    expect(error.code).toBe('NO_PORT');
    expect(error.message).toMatch(/needs a url or a port/);
    expect(hostPort()).toBeUndefined();
  });

  it('undefined values take their defaults (spreading optional settings is fine)', async () => {
    const { port } = await startHost();
    const client = connect({ port, host: '127.0.0.1', token: undefined, callTimeout: undefined, WebSocket: WebSocket as never });
    clients.push(client);
    await client.ready;
    expect(client.status).toBe('open');
  });
});

describe('connect() without a port learns it from the bridge', () => {
  it('in Node, from the bridge config global (port and token)', async () => {
    const { wv, port } = await startHost({ token: 'auto' });
    (globalThis as Record<string, unknown>)[BRIDGE_CONFIG_GLOBAL] = { port, token: wv.token, bindings: [], persisted: [], debug: false };
    expect(hostPort()).toBe(port);
    const client = connect({ WebSocket: WebSocket as never });
    clients.push(client);
    await client.ready;
    const received = new Promise((resolve) => wv.onMessage('hello', (data) => resolve(data)));
    client.send('hello', 'from a page with no configuration');
    expect(await received).toBe('from a page with no configuration');
  });

  describe('in Chromium, a page the host serves', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('connect() with no options reaches its host, token included', async () => {
      const { wv, port } = await startHost({ token: 'auto' });
      wv.setHtmlContent(`<!doctype html><html><head><title>no config</title>
<script type="module">
  import { connect, hostPort } from '/hise-webview-client.js';
  const client = connect();
  client.ready.then(() => client.send('hello', { port: hostPort() }));
</script></head><body></body></html>`);
      const received = new Promise((resolve) => wv.onMessage('hello', (data) => resolve(data)));
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await received).toEqual({ port });
      await page.close();
    }, 60_000);
  });
});
