import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { useChromiumPages } from '../helpers/chromium-pages.js';

// What our drop-in does beyond HISE's client: connects after load, queues, reconnects, removes
// listeners, reports status, closes cleanly.

const chromium = useChromiumPages();

/** A page that loads the drop-in from the host and runs `body` (after load if `afterLoad`). */
async function openPage(port: number, body: string, afterLoad = false): Promise<BrowserPage> {
  const script = afterLoad ? `addEventListener('load', () => setTimeout(() => { ${body} }, 50));` : body;
  const { page, url } = await chromium.open(
    'drop-in',
    `<!doctype html><html><head><meta charset="utf-8">
<script src="http://127.0.0.1:${port}/hisewebsocket-min.js"></script>
<script>window.log = []; window.PORT = ${port}; ${script}</script></head><body></body></html>`,
  );
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return page;
}

/** Uncaught errors of each page: none is expected except where a test provokes one. */
const pageErrors = new Map<BrowserPage, string[]>();

const log = (page: BrowserPage) => page.evaluate(() => (window as unknown as { log: unknown[] }).log);
const waitForLog = (page: BrowserPage, n: number) =>
  page.waitForFunction((count) => (window as unknown as { log: unknown[] }).log.length >= count, n, { timeout: 10_000 });

describe('our drop-in HiseWebSocketServer', () => {
  it('connects when constructed after the load event (HISE’s never does)', async () => {
    const { wv, port } = await startHost();
    const connected = nextEvent(wv, 'connect');
    const page = await openPage(
      port,
      `window.server = new HiseWebSocketServer(PORT); server.addEventListener((id, data) => log.push(id + '=' + data));`,
      true,
    );
    await connected;
    wv.sendToWebsocket('late', 'works');
    await waitForLog(page, 1);
    expect(await log(page)).toEqual(['late=works']);
  });

  it('queues send() until open and delivers in order', async () => {
    const { wv, port } = await startHost();
    const inbox: unknown[] = [];
    wv.setWebSocketCallback((data) => void inbox.push(data));
    await openPage(
      port,
      `window.server = new HiseWebSocketServer(PORT);
       log.push(server.send('one'), server.send('{"two":2}'), server.send(new Float32Array([3])));`,
    );
    await until(() => inbox.length === 3, 10_000);
    expect(inbox[0]).toBe('one');
    expect(inbox[1]).toEqual({ two: 2 });
    expect(Array.from(inbox[2] as Float32Array)).toEqual([3]);
  });

  it('reconnects by itself when the host restarts on the same port, and reports open/close', async () => {
    const first = new WebView();
    const port = await first.setEnableWebSocket(0);
    const connected = nextEvent(first, 'connect');
    const page = await openPage(
      port,
      `window.server = new HiseWebSocketServer(PORT, { minReconnectDelay: 50, maxReconnectDelay: 200 });
       server.addEventListener('open', () => log.push('open'));
       server.addEventListener('close', () => log.push('close'));
       server.addEventListener((id, data) => log.push(id + '=' + data));`,
    );
    await connected;
    await first.close();
    const second = new WebView();
    try {
      const reconnected = nextEvent(second, 'connect');
      expect(await second.setEnableWebSocket(port)).toBe(port);
      await reconnected;
      second.sendToWebsocket('after', 'restart');
      await waitForLog(page, 4);
      expect(await log(page)).toEqual(['open', 'close', 'open', 'after=restart']);
    } finally {
      await second.close();
    }
  });

  it('removeEventListener stops delivery; a throwing listener does not stop the others', async () => {
    const { wv, port } = await startHost();
    const connected = nextEvent(wv, 'connect');
    const page = await openPage(
      port,
      `window.server = new HiseWebSocketServer(PORT);
       const removed = () => log.push('removed listener ran');
       server.addEventListener(() => { throw new Error('listener bug'); });
       server.addEventListener(removed);
       server.addEventListener((id, data) => log.push(id + '=' + data));
       server.removeEventListener(removed);`,
    );
    await connected;
    wv.sendToWebsocket('a', '1');
    wv.sendToWebsocket('b', '2');
    await waitForLog(page, 2);
    expect(await log(page)).toEqual(['a=1', 'b=2']);
    // The listener's error is reported as an uncaught one would be, once per message.
    await until(() => pageErrors.get(page)!.length === 2);
    expect(pageErrors.get(page)).toEqual(['listener bug', 'listener bug']);
  });

  it('reports a malformed frame as an error event instead of throwing', async () => {
    const { wv, port } = await startHost();
    const connected = nextEvent(wv, 'connect');
    const page = await openPage(
      port,
      `window.server = new HiseWebSocketServer(PORT);
       server.addEventListener('error', (e) => log.push(e.name + ':' + e.code));
       server.addEventListener((id, data) => log.push(id + '=' + data));`,
    );
    await connected;
    // Reach under the API to put a broken frame on the wire: an id length past the end.
    wv.pages[0]!.deliver({ id: 'x', kind: 'control', bytes: new Uint8Array([1, 0xff, 0, 0, 0, 0, 0]) });
    wv.sendToWebsocket('next', 'fine');
    await waitForLog(page, 2);
    expect(await log(page)).toEqual(['ProtocolError:ID_PAST_END', 'next=fine']);
    expect(pageErrors.get(page)).toEqual([]);
  });

  it('parseWebSocketMessage (kept for pages that call it) gives owned samples and leaves the bytes alone', async () => {
    const { port } = await startHost();
    const page = await openPage(port, `window.server = new HiseWebSocketServer(PORT, { reconnect: false });`);
    const result = await page.evaluate(() => {
      const server = (window as unknown as { server: { parseWebSocketMessage(b: Uint8Array): { id: string; data: Float32Array } } }).server;
      // id "abcd": the samples start at byte 12, aligned, where a plain decode would return a view.
      const bytes = new Uint8Array([2, 5, 0, 97, 98, 99, 100, 0, 8, 0, 0, 0, 0, 0, 0, 63, 0, 0, 128, 191]);
      const { id, data } = server.parseWebSocketMessage(bytes);
      return { id, samples: Array.from(data), byteOffset: data.byteOffset, bufferBytes: data.buffer.byteLength, input: bytes.byteLength };
    });
    expect(result).toEqual({ id: 'abcd', samples: [0.5, -1], byteOffset: 0, bufferBytes: 8, input: 20 });
  });

  it('close() stops for good; navigating away never throws', async () => {
    const { wv, port } = await startHost();
    const connected = nextEvent(wv, 'connect');
    const page = await openPage(port, `window.server = new HiseWebSocketServer(PORT, { minReconnectDelay: 20 });`);
    await connected;
    const disconnected = nextEvent(wv, 'disconnect');
    await page.evaluate(() => (window as unknown as { server: { close(): void } }).server.close());
    await disconnected;
    await page.waitForTimeout(200);
    expect(wv.pages).toHaveLength(0);
    const again = nextEvent(wv, 'connect');
    await page.reload();
    await again;
    await page.goto('about:blank'); // unload with an open socket
    await until(() => wv.pages.length === 0);
    expect(pageErrors.get(page)).toEqual([]);
  });
});
