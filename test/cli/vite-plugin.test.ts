import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiseWebview } from '../../dist/vite/index.js';
import { launchChromium } from '../helpers/chromium.js';

// Vite's dev server with the plugin: the page Vite serves gets the host's bridge script in <head>,
// connects to the host the plugin started, and Vite's own client (HMR) is still there.

const CONNECT_TIMEOUT_MS = 10_000;

/** What the host module below records, on the test process's globalThis (tsx runs it in this process). */
interface ViteHostRecord {
  connects: number;
  closed: boolean;
}

const HOST_MODULE = `export default function host(wv) {
  const record = (globalThis.__viteHostRecord ??= { connects: 0, closed: false });
  wv.on('connect', () => record.connects++);
  wv.bindCallback('whoAmI', () => 'the host beside vite');
  return () => { record.closed = true; };
}
`;

let browser: Browser;
let dir: string;
let server: ViteDevServer;
let viteUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-vite-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>vite page</title></head><body><h1>vite</h1></body></html>');
  await writeFile(join(dir, 'host.mjs'), HOST_MODULE);
  server = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: true },
    plugins: [hiseWebview({ module: 'host.mjs', inspect: true })],
  });
  await server.listen();
  const address = server.httpServer!.address() as { port: number };
  viteUrl = `http://localhost:${address.port}/`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function record(): ViteHostRecord | undefined {
  return (globalThis as { __viteHostRecord?: ViteHostRecord }).__viteHostRecord;
}

describe('hise-webview/vite', () => {
  let bridgePort: number;

  it('injects the bridge script into <head> of the page Vite serves, beside Vite\'s own client', async () => {
    const html = await (await fetch(viteUrl)).text();
    const match = /<head>\s*<script src="http:\/\/localhost:(\d+)\/hise-webview-bridge\.js"><\/script>/.exec(html);
    expect(match, html).not.toBeNull();
    bridgePort = Number(match![1]);
    expect(html).toContain('/@vite/client'); // HMR is Vite's, untouched
  });

  it('the page connects to the host and gets its bound callbacks', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(viteUrl);
    await page.waitForFunction(() => typeof (window as unknown as { whoAmI?: unknown }).whoAmI === 'function', undefined, { timeout: CONNECT_TIMEOUT_MS });
    expect(await page.evaluate(() => (window as unknown as { whoAmI(): Promise<string> }).whoAmI())).toBe('the host beside vite');
    expect(record()?.connects).toBeGreaterThanOrEqual(1);
  });

  it('with inspect, the host serves the inspector page', async () => {
    const answer = await fetch(`http://localhost:${bridgePort}/__hise-webview/inspector/`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it("closes the host (cleanup run, port freed) when Vite's server closes", async () => {
    await server.close();
    expect(record()?.closed).toBe(true);
    const probe = createNetServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(bridgePort, '127.0.0.1', resolve));
    probe.close();
  });
});

/** The built client, which Vite serves to the page from outside its root. */
const CLIENT_DIST = fileURLToPath(new URL('../../dist/client/', import.meta.url));

/** A port that was free a moment ago (the plugin's `port` takes a number; 0 would not show it is used). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('hise-webview/vite: port and inspector', () => {
  it('the host listens on the port given, and with no module the inspector streams its signals at its block size', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hise-vite-inspector-'));
    await writeFile(
      join(root, 'index.html'),
      `<!doctype html><html><head><title>signals</title><script type="module">
        import { connect } from '/@fs${CLIENT_DIST}index.js';
        window.lengths = [];
        const client = connect();
        client.onAny((id, data) => { if (id === 'scope' && data instanceof Float32Array) window.lengths.push(data.length); });
      </script></head><body></body></html>`,
    );
    const port = await freePort();
    const vite = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: true, fs: { allow: [root, CLIENT_DIST] } },
      plugins: [hiseWebview({ port, inspector: { signals: [{ kind: 'sine', id: 'scope' }], rate: 60, blockSize: 64 } })],
    });
    try {
      await vite.listen();
      const url = `http://localhost:${(vite.httpServer!.address() as { port: number }).port}/`;
      const html = await (await fetch(url)).text();
      expect(html).toContain(`<script src="http://localhost:${port}/hise-webview-bridge.js"></script>`);
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { lengths: number[] }).lengths.length >= 3, undefined, { timeout: CONNECT_TIMEOUT_MS });
      expect(new Set(await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths))).toEqual(new Set([64]));
    } finally {
      await vite.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
