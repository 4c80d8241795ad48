import type { Page as BrowserPage } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page, WebView } from '../../src/host/index.js';
import { createTestHost, type TestHost } from '../../src/testing/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { useChromiumPages } from '../helpers/chromium-pages.js';
import { modernPage } from '../helpers/pairing-pages.js';

// What only the modern client does, in Chromium: ids both ways, calls both ways, retained state
// after a reconnect, exactly-once delivery across a killed connection, the token.

const chromium = useChromiumPages();

const testHosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(testHosts.splice(0).map((host) => host.close()));
});

/** A test host serving the modern page itself, and that page open in Chromium. */
async function servedModernPage(): Promise<{ host: TestHost; page: BrowserPage; hostPage: Page }> {
  const host = await createTestHost({ html: (port) => modernPage(port) });
  testHosts.push(host);
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(host.url);
  await page.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
  return { host, page, hostPage: await host.nextPage() };
}

async function openModernPage(wv: WebView, port: number, options = '{}'): Promise<{ page: BrowserPage; hostPage: Page }> {
  const { page, url } = await chromium.open('modern', modernPage(port, options));
  const connected = nextEvent(wv, 'connect');
  await page.goto(url);
  await page.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
  return { page, hostPage: ((await connected) as [Page])[0] };
}

describe('modern client in Chromium', () => {
  it('typed payloads both ways with ids', async () => {
    const { host, page } = await servedModernPage();
    host.send('json', { a: [1, 'ü'] });
    host.send('i16', new Int16Array([-2, 3]));
    host.send('bytes', new Uint8Array([9, 8]));
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length === 3);
    expect(await page.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([
      { id: 'json', kind: 'Object', value: { a: [1, 'ü'] } },
      { id: 'i16', kind: 'Int16Array', value: [-2, 3] },
      { id: 'bytes', kind: 'Uint8Array', value: [9, 8] },
    ]);
    await page.evaluate(() => {
      const client = (window as unknown as { client: { send(id: string, v: unknown): void } }).client;
      client.send('f64', new Float64Array([Math.E]));
      client.send('obj', { nested: { ok: true } });
    });
    expect(await host.nextMessage('f64')).toEqual(new Float64Array([Math.E]));
    expect(await host.nextMessage('obj')).toEqual({ nested: { ok: true } });
  });

  it('every typed array and Uint8Array owns exactly its data by default; exactBuffers: false gives views', async () => {
    const { wv, port } = await startHost();
    const sent: [string, ArrayBufferView][] = [
      ['f', new Float32Array([0.5, -1, 2])],
      ['f32-long-id', Float32Array.from({ length: 2048 }, (_, i) => i / 2048)],
      ['i16', new Int16Array([-2, 3, 7])],
      ['i32', new Int32Array([-70000, 1])],
      ['f64', new Float64Array([Math.PI, -0])],
      ['bytes', new Uint8Array([9, 8, 7, 6, 5])],
    ];
    const layoutsOf = async (options: string) => {
      const { page } = await openModernPage(wv, port, options);
      for (const [id, data] of sent) wv.send(id, data);
      await page.waitForFunction((n) => (window as unknown as { layouts: unknown[] }).layouts.length === n, sent.length);
      const received = await page.evaluate(() => (window as unknown as { received: { value: unknown }[] }).received.map((m) => m.value));
      expect(received).toEqual(sent.map(([, data]) => Array.from(data as Float32Array)));
      return page.evaluate(() => (window as unknown as { layouts: { byteOffset: number; byteLength: number; bufferBytes: number }[] }).layouts);
    };
    const owned = await layoutsOf('{}');
    expect(owned.map(({ byteOffset, bufferBytes }) => ({ byteOffset, bufferBytes }))).toEqual(sent.map(([, d]) => ({ byteOffset: 0, bufferBytes: d.byteLength })));
    const views = await layoutsOf('{ exactBuffers: false, ownedFrames: false }');
    for (const layout of views) expect(layout.byteOffset).toBeGreaterThan(0); // a view past the frame's header
    expect(views.every((layout) => layout.bufferBytes > layout.byteLength)).toBe(true);
  });

  it('calls both ways: results, rebuilt errors, unknown and prototype names', async () => {
    const { host, page, hostPage } = await servedModernPage();
    const wv = host.webView;
    host.answer('mix', (a: number, b: number) => ({ sum: a + b }));
    host.answer('reject', async () => {
      throw Object.assign(new Error('no such preset'), { code: 'E_PRESET' });
    });
    const fromPage = await page.evaluate(async () => {
      const client = (window as unknown as { client: { call(name: string, ...args: unknown[]): Promise<unknown>; handle(name: string, fn: (x: number) => number): void } }).client;
      const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: { name: string; message: string; code: string }) => [e.name, e.message, e.code]);
      client.handle('square', (x: number) => x * x);
      return {
        mixed: await client.call('mix', 2, 3),
        rejected: await errorOf(client.call('reject')),
        unknown: await errorOf(client.call('nope')),
        proto: await errorOf(client.call('__proto__')),
      };
    });
    expect(fromPage.mixed).toEqual({ sum: 5 });
    expect(fromPage.rejected).toEqual(['Error', 'no such preset', 'E_PRESET']);
    expect(fromPage.unknown?.[2]).toBe('UNKNOWN_FUNCTION');
    expect(fromPage.proto?.[2]).toBe('UNKNOWN_FUNCTION');
    expect(await wv.call(hostPage, 'square', 12)).toBe(144);
    await expect(wv.call(hostPage, 'toString')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
  });

  it('after its connection is killed: reconnects, gets retained state again, and every message arrives once', async () => {
    const { wv, port } = await startHost();
    wv.retain('state');
    wv.send('state', { preset: 'warm' });
    const inbox: number[] = [];
    wv.onMessage('n', (value) => void inbox.push(value as number));
    const { page, hostPage } = await openModernPage(wv, port);
    await page.evaluate(() => {
      const w = window as unknown as { client: { send(id: string, v: number): void }; pump: () => void; sent: number };
      w.sent = 0;
      // Sends one message every millisecond until 300 have gone, whatever the connection does.
      const timer = setInterval(() => {
        w.client.send('n', w.sent++);
        if (w.sent === 300) clearInterval(timer);
      }, 1);
    });
    await until(() => inbox.length > 20);
    const reconnected = nextEvent(wv, 'connect');
    hostPage.terminate(); // the network connection is cut mid-stream
    await reconnected;
    await until(() => inbox.length >= 300, 15_000);
    await page.waitForFunction(() => (window as unknown as { client: { queued: number } }).client.queued === 0);
    expect(inbox).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const states = await page.evaluate(() =>
      (window as unknown as { received: { id: string; value: unknown }[] }).received.filter((r) => r.id === 'state').map((r) => r.value),
    );
    expect(states).toEqual([{ preset: 'warm' }, { preset: 'warm' }]);
  });

  it('a page without the right token is refused (closed with 4401 and its reason) and is never a page', async () => {
    const { wv, port } = await startHost({ token: 'right' });
    const refused = nextEvent(wv, 'refused');
    const { page, url } = await chromium.open('modern', modernPage(port, "{ token: 'wrong', reconnect: false }"));
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(url);
    expect(((await refused) as [{ reason: string }])[0].reason).toBe('token');
    // Refused and not reconnecting: the client settles in 'closed' (waited for, not slept on) and says why in the console.
    await page.waitForFunction(() => (window as unknown as { client: { status: string } }).client.status === 'closed');
    await expect.poll(() => consoleErrors.find((line) => line.startsWith('[hise-webview] token'))).toBeDefined();
    expect(wv.pages).toHaveLength(0);
    const { page: good } = await openModernPage(wv, port, "{ token: 'right' }");
    expect(await good.evaluate(() => (window as unknown as { client: { mode: string } }).client.mode)).toBe('extended');
  });
});
