import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebView } from '../../src/host/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { DROP_IN, HISE_STOCK, HISE_STOCK_SKIP_REASON, legacyPage, type LegacyClient, type Received } from '../helpers/legacy-page.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';

// One behaviour suite, run against every client with HISE's API: what a page written for HISE
// sees must be the same with our drop-in and with HISE's own file.
const clients: LegacyClient[] = [DROP_IN];
if (HISE_STOCK) clients.push(HISE_STOCK);
else console.log(HISE_STOCK_SKIP_REASON);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(clients)('host ↔ $name in Chromium', (client) => {
  // The page server reads this record on every request, so pages can be added as tests go.
  const files: Record<string, string> = { ...client.files };
  const cleanup: (() => Promise<unknown>)[] = [];
  let server: PageServer;
  let pageCount = 0;
  beforeAll(async () => {
    server = await servePages(files);
  });
  afterAll(async () => {
    await Promise.all(cleanup.splice(0).map((fn) => fn()));
    await server.close();
  });

  /** Opens a legacy page against the host on `port` and waits until the host sees it connect. */
  async function openPage(wv: WebView, port: number): Promise<BrowserPage> {
    const path = `/page-${++pageCount}.html`;
    files[path] = legacyPage(client.scriptUrl(port, server.url), port);
    const context = await browser.newContext();
    cleanup.push(() => context.close());
    const page = await context.newPage();
    const connected = nextEvent(wv, 'connect');
    await page.goto(server.url(path));
    await connected;
    return page;
  }

  const received = (page: BrowserPage) => page.evaluate(() => (window as unknown as { received: Received[] }).received);
  const waitForReceived = (page: BrowserPage, count: number) =>
    page.waitForFunction((n) => (window as unknown as { received: unknown[] }).received.length >= n, count, { timeout: 10_000 });

  it('receives strings, non-ASCII included', async () => {
    const { wv, port } = await startHost();
    const page = await openPage(wv, port);
    wv.sendToWebsocket('msg', 'hello');
    wv.sendToWebsocket('Läutstärke', 'Grüße 🎚️ — ok');
    await waitForReceived(page, 2);
    expect(await received(page)).toEqual([
      { id: 'msg', kind: 'string', value: 'hello' },
      { id: 'Läutstärke', kind: 'string', value: 'Grüße 🎚️ — ok' },
    ]);
  });

  it('receives 8192-float buffers exactly', async () => {
    const { wv, port } = await startHost();
    const page = await openPage(wv, port);
    const samples = Float32Array.from({ length: 8192 }, (_, i) => Math.sin(i / 7) * 0.9);
    wv.sendToWebsocket('scope', samples);
    await waitForReceived(page, 1);
    const [message] = await received(page);
    expect(message!.kind).toBe('Float32Array');
    expect(message!.value).toEqual(Array.from(samples));
  });

  it('JSON both ways: objects arrive as JSON text, page JSON arrives parsed', async () => {
    const { wv, port } = await startHost();
    const inbox: unknown[] = [];
    wv.setWebSocketCallback((data) => void inbox.push(data));
    const page = await openPage(wv, port);
    wv.sendToWebsocket('state', { gain: -6, names: ['a', 'ü'] });
    await waitForReceived(page, 1);
    expect(JSON.parse((await received(page))[0]!.value as string)).toEqual({ gain: -6, names: ['a', 'ü'] });
    await page.evaluate(() => {
      const server = (window as unknown as { server: { send(x: unknown): void } }).server;
      server.send(JSON.stringify({ knob: 0.25 }));
      server.send(JSON.stringify([1, 2, 3]));
      server.send('plain text');
      server.send(new Float32Array([0.5, -0.25]));
    });
    await until(() => inbox.length === 4, 10_000);
    expect(inbox.slice(0, 3)).toEqual([{ knob: 0.25 }, [1, 2, 3], 'plain text']);
    expect(Array.from(inbox[3] as Float32Array)).toEqual([0.5, -0.25]);
  });

  it('gets the latest message per id sent before it connected, in first-queued order', async () => {
    const { wv, port } = await startHost();
    wv.sendToWebsocket('a', 'first a');
    wv.sendToWebsocket('b', new Float32Array([1, 2]));
    wv.sendToWebsocket('a', 'second a');
    wv.sendToWebsocket('b', new Float32Array([3, 4]));
    const page = await openPage(wv, port);
    await waitForReceived(page, 2);
    expect(await received(page)).toEqual([
      { id: 'a', kind: 'string', value: 'second a' },
      { id: 'b', kind: 'Float32Array', value: [3, 4] },
    ]);
  });

  it('registered buffers reach two pages', async () => {
    const { wv, port } = await startHost();
    const first = await openPage(wv, port);
    const second = await openPage(wv, port);
    const buffer = new Float32Array(512).fill(0.5);
    wv.addBufferToWebSocket(0, buffer);
    wv.updateBuffer(0);
    buffer.fill(-0.5);
    wv.updateBuffer(0);
    for (const page of [first, second]) {
      await waitForReceived(page, 2);
      const [a, b] = await received(page);
      expect(a!.id).toBe('0');
      expect(a!.value).toEqual(Array(512).fill(0.5));
      expect(b!.value).toEqual(Array(512).fill(-0.5));
    }
  });

  it('a page from a foreign origin is refused before the upgrade', async () => {
    const { wv, port } = await startHost();
    const unprotected = await launchChromium(WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS);
    cleanup.push(() => unprotected.close());
    const context = await unprotected.newContext();
    const page = await context.newPage();
    const script = client.files['/hise-stock.js'];
    await page.route('http://evil.example/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/hise-stock.js') return route.fulfill({ contentType: 'text/javascript', body: script ?? '' });
      return route.fulfill({
        contentType: 'text/html',
        body: legacyPage(script ? 'http://evil.example/hise-stock.js' : `http://127.0.0.1:${port}/hisewebsocket-min.js`, port),
      });
    });
    let connected = false;
    wv.on('connect', () => (connected = true));
    const refused = nextEvent(wv, 'refused');
    await page.goto('http://evil.example/index.html');
    const [info] = await refused;
    expect(info).toMatchObject({ reason: 'origin', origin: 'http://evil.example' });
    await page.waitForTimeout(200);
    expect(connected).toBe(false);
    expect(wv.pages).toHaveLength(0);
  });
});
