import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebView } from '../../src/host/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { pairings, type Layout, type Received } from '../helpers/pairing-pages.js';

// One behaviour suite, run against every pairing of client and host in real Chromium: what a page
// written for HISE sees must be the same with our drop-in, with HISE's own file, and with our
// modern client, whether or not the host speaks the extension.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

for (const pairing of pairings()) describe.skipIf(pairing.skip !== undefined)(pairing.name, () => {
  // The page server reads this record on every request, so pages can be added as tests go.
  const files: Record<string, string> = { ...pairing.files };
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

  const host = () => startHost(pairing.hostOptions);

  /** Opens the pairing's page against the host on `port` and waits until the host sees it connect. */
  let pagesBefore = 0;
  async function openPage(wv: WebView, port: number, inBrowser: Browser = browser): Promise<BrowserPage> {
    if (wv.pages.length === 0) pagesBefore = pageCount;
    const path = `/page-${++pageCount}.html`;
    files[path] = pairing.page(port, server.url);
    const context = await inBrowser.newContext();
    cleanup.push(() => context.close());
    const page = await context.newPage();
    const connected = nextEvent(wv, 'connect');
    await page.goto(server.url(path));
    await connected;
    // A modern page is ready when its client says so (after a fallback, that is its second attempt).
    await page.evaluate(() => (window as unknown as { opened?: Promise<void> }).opened);
    await until(() => wv.pages.length === pageCount - pagesBefore && wv.pages.every((p) => p.extended === pairing.extended), 10_000);
    return page;
  }

  const received = (page: BrowserPage) => page.evaluate(() => (window as unknown as { received: Received[] }).received);
  const waitForReceived = (page: BrowserPage, count: number) =>
    page.waitForFunction((n) => (window as unknown as { received: unknown[] }).received.length >= n, count, { timeout: 10_000 });

  it('receives strings, non-ASCII included', async () => {
    const { wv, port } = await host();
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
    const { wv, port } = await host();
    const page = await openPage(wv, port);
    const samples = Float32Array.from({ length: 8192 }, (_, i) => Math.sin(i / 7) * 0.9);
    wv.sendToWebsocket('scope', samples);
    await waitForReceived(page, 1);
    const [message] = await received(page);
    expect(message!.kind).toBe('Float32Array');
    expect(message!.value).toEqual(Array.from(samples));
  });

  it('every Float32Array owns exactly its samples: keep it, build from its buffer, transfer its buffer', async () => {
    const { wv, port } = await host();
    const page = await openPage(wv, port);
    // Ids of 1 to 4 bytes put HISE's float data at every offset modulo 4; sizes from 1 to 8192 floats.
    // Each id once per size: a modern page's stream window (fresh streams) keeps only the newest
    // waiting frame of an id, so two frames of one id in a burst past the window would coalesce.
    const ids = ['a', 'ab', 'abc', 'abcd'];
    const sent = [1, 128, 8192].flatMap((n) => ids.map((id, i) => ({ id, samples: Float32Array.from({ length: n }, (_, k) => k * 0.5 - i) })));
    for (const { id, samples } of sent) wv.sendToWebsocket(id, samples);
    await waitForReceived(page, sent.length);
    const got = await received(page);
    expect(got.map((m) => [m.id, m.value])).toEqual(sent.map(({ id, samples }) => [id, Array.from(samples)]));
    const layouts = await page.evaluate(() => (window as unknown as { layouts: Layout[] }).layouts);
    expect(layouts).toEqual(sent.map(({ id, samples }) => ({ id, byteOffset: 0, byteLength: samples.length * 4, bufferBytes: samples.length * 4 })));
    // The last one (8192 floats): `new Float32Array(data.buffer)` is the samples, and transferring the buffer moves exactly them.
    const [rebuilt, moved, afterTransfer] = await page.evaluate(() => {
      const data = (window as unknown as { lastView: Float32Array }).lastView;
      const rebuilt = Array.from(new Float32Array(data.buffer));
      const moved = Array.from(new Float32Array(structuredClone(data.buffer, { transfer: [data.buffer] })));
      return [rebuilt, moved, data.length];
    });
    const last = Array.from(sent.at(-1)!.samples);
    expect(rebuilt).toEqual(last);
    expect(moved).toEqual(last);
    expect(afterTransfer).toBe(0); // it was the listener's to give away
  });

  it('JSON both ways: sendToWebsocket objects arrive as JSON text, page JSON arrives parsed', async () => {
    const { wv, port } = await host();
    const inbox: unknown[] = [];
    wv.setWebSocketCallback((data) => void inbox.push(data));
    const page = await openPage(wv, port);
    wv.sendToWebsocket('state', { gain: -6, names: ['a', 'ü'] });
    await waitForReceived(page, 1);
    expect(JSON.parse((await received(page))[0]!.value as string)).toEqual({ gain: -6, names: ['a', 'ü'] });
    await page.evaluate(() => {
      const w = window as unknown as Record<string, (x: unknown) => void>;
      w.sendJson!({ knob: 0.25 });
      w.sendJson!([1, 2, 3]);
      w.sendText!('plain text');
      w.sendFloats!([0.5, -0.25]);
    });
    await until(() => inbox.length === 4, 10_000);
    expect(inbox.slice(0, 3)).toEqual([{ knob: 0.25 }, [1, 2, 3], 'plain text']);
    expect(Array.from(inbox[3] as Float32Array)).toEqual([0.5, -0.25]);
  });

  // See Pairing.fallsBack: the held messages go into the handshake the browser fails.
  it.skipIf(pairing.fallsBack)('gets the latest message per id sent before it connected, in first-queued order', async () => {
    const { wv, port } = await host();
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
    const { wv, port } = await host();
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
    const { wv, port } = await host();
    const unprotected = await launchChromium(WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS);
    cleanup.push(() => unprotected.close());
    const page = await (await unprotected.newContext()).newPage();
    await page.route('http://evil.example/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = files[path];
      if (file !== undefined) return route.fulfill({ contentType: 'text/javascript', body: file });
      return route.fulfill({ contentType: 'text/html', body: pairing.page(port, (p) => `http://evil.example${p}`) });
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
