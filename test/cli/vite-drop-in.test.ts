import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiseWebview } from '../../dist/vite/index.js';
import { launchChromium } from '../helpers/chromium.js';

// A page written the HISE way (seed doc) under Vite: `<script src="hisewebsocket-min.js">` is served
// by the plugin as the host serves it, and the page talks to the host; `/favicon.ico` is no 404.

const HISE_PAGE = `<!doctype html><html><head><title>hise way</title>
<script src="hisewebsocket-min.js"></script>
<script>
var server;
window.initWebSocket = function(port) {
  server = new HiseWebSocketServer(port);
  server.addEventListener(function(id, data) { if (id === 'ping') server.send('pong:' + data); });
};
</script></head><body></body></html>`;

const HOST_MODULE = `export default function host(wv) {
  const record = (globalThis.__viteDropInRecord ??= { pongs: [] });
  wv.setWebSocketCallback((message) => record.pongs.push(message));
  wv.onMessage('hello', (data) => { record.hello = data; record.port = wv.port; });
  wv.on('connect', () => wv.sendToWebSocket('ping', 'hello'));
  wv.callFunction('initWebSocket', wv.port);
}
`;

const RECEIVE_TIMEOUT_MS = 15_000;

/** The built client, which Vite serves to the modern page from outside its root. */
const CLIENT_DIST = fileURLToPath(new URL('../../dist/client/', import.meta.url));

/** A modern page under Vite that passes `connect()` nothing: the port comes from the bridge. */
const MODERN_PAGE = `<!doctype html><html><head><title>modern</title>
<script>window.initWebSocket = function () {}; /* the host module's persistent call, for the HISE-way page */</script>
<script type="module">
  import { connect, hostPort } from '/@fs${CLIENT_DIST}index.js';
  const client = connect();
  client.ready.then(() => client.send('hello', { port: hostPort() }));
</script></head><body></body></html>`;

async function viteServer(root: string): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: true, fs: { allow: [root, CLIENT_DIST] } },
    plugins: [hiseWebview({ host: 'host.mjs', webView: { token: 'auto' } })], // the deprecated name of module, still working
  });
  await server.listen();
  return { server, url: `http://localhost:${(server.httpServer!.address() as { port: number }).port}/` };
}

describe('hise-webview/vite serves what the host serves at its root', () => {
  let browser: Browser;
  let dir: string;
  let vite: { server: ViteDevServer; url: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hise-vite-drop-in-'));
    await writeFile(join(dir, 'index.html'), HISE_PAGE);
    await writeFile(join(dir, 'modern.html'), MODERN_PAGE);
    await writeFile(join(dir, 'host.mjs'), HOST_MODULE);
    vite = await viteServer(dir);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await vite?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a page written the HISE way loads the drop-in and exchanges messages with the host', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(vite.url);
    const record = (): { pongs: unknown[] } | undefined => (globalThis as { __viteDropInRecord?: { pongs: unknown[] } }).__viteDropInRecord;
    await expect.poll(() => record()?.pongs ?? [], { timeout: RECEIVE_TIMEOUT_MS }).toContain('pong:hello');
    expect(await page.evaluate(() => typeof (window as unknown as { HiseWebSocketServer?: unknown }).HiseWebSocketServer)).toBe('function');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('connect() with no options in a page Vite serves reaches the host (port and token from the bridge)', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('modern.html', vite.url).href);
    const record = (): { hello?: { port: number }; port?: number } | undefined => (globalThis as { __viteDropInRecord?: { hello?: { port: number }; port?: number } }).__viteDropInRecord;
    await expect.poll(() => record()?.hello, { timeout: RECEIVE_TIMEOUT_MS }).toBeDefined();
    expect(record()!.hello).toEqual({ port: record()!.port });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('/hisewebsocket-min.js is the built drop-in, /favicon.ico is 204', async () => {
    const script = await fetch(new URL('hisewebsocket-min.js', vite.url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('HiseWebSocketServer');
    expect((await fetch(new URL('favicon.ico', vite.url))).status).toBe(204);
  });

  it("under Vite's base, the page's relative hisewebsocket-min.js is served too", async () => {
    const based = await createServer({
      root: dir,
      base: '/app/',
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: true },
      plugins: [hiseWebview()],
    });
    await based.listen();
    try {
      const origin = `http://127.0.0.1:${(based.httpServer!.address() as { port: number }).port}`;
      const script = await fetch(`${origin}/app/hisewebsocket-min.js`);
      expect(script.status).toBe(200);
      expect(await script.text()).toContain('HiseWebSocketServer');
      expect((await fetch(`${origin}/app/favicon.ico`)).status).toBe(204);
    } finally {
      await based.close();
    }
  });

  it("the project's own files win (root and public/)", async () => {
    await writeFile(join(dir, 'hisewebsocket-min.js'), 'window.ownCopy = true;\n');
    await mkdir(join(dir, 'public'), { recursive: true });
    await writeFile(join(dir, 'public', 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
    expect(await (await fetch(new URL('hisewebsocket-min.js', vite.url))).text()).toContain('ownCopy');
    const icon = await fetch(new URL('favicon.ico', vite.url));
    expect(icon.status).toBe(200);
    expect(new Uint8Array(await icon.arrayBuffer())).toEqual(new Uint8Array([0, 0, 1, 0]));
  });
});
