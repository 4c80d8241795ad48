import type { Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebView, type Page } from '../../src/host/index.js';
import { until } from '../helpers/node-client.js';
import { useChromiumPages } from '../helpers/chromium-pages.js';

// Issue 26 in Chromium: owned (zero-copy) stream frames, the worker client's whole API, the
// SharedArrayBuffer ring of a cross-origin isolated page, and the reference components drawing in
// the worker. One host (cross-origin isolated, serving the page: the worker must be same-origin).

const chromium = useChromiumPages();
let wv: WebView;
let url: string;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<canvas id="scope" width="160" height="80"></canvas><canvas id="spectrum" width="160" height="80"></canvas><canvas id="meter" width="40" height="80"></canvas>
<canvas id="scope2d" width="160" height="80"></canvas><canvas id="main2d" width="40" height="80"></canvas>
<script type="module">
  import { connect } from '/hise-webview-client.js';
  import { connectWorker, mountComponent, StreamRing } from '/hise-webview-worker-client.js';
  window.lib = { connect, connectWorker, mountComponent, StreamRing };
  window.moduleUrl = (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
</script></body></html>`;

type Win = Record<string, any>;

beforeAll(async () => {
  wv = new WebView({ crossOriginIsolation: true });
  const port = await wv.setEnableWebSocket(0);
  wv.setHtmlContent(PAGE);
  wv.handle('mix', (a: number, b: number) => a + b);
  url = `http://127.0.0.1:${port}/`;
});
afterAll(() => wv.close());

async function openPage(): Promise<BrowserPage> {
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as Win).lib !== undefined);
  return page;
}

/** A worker client in a fresh page, connected, with a log of what its main thread got. */
async function workerPage(): Promise<{ page: BrowserPage; hostPage: Page }> {
  const before = new Set(wv.pages);
  const page = await openPage();
  await page.evaluate(async () => {
    const w = window as Win;
    w.client = w.lib.connectWorker({ minReconnectDelay: 50, maxReconnectDelay: 200 });
    w.got = [];
    await w.client.ready;
  });
  return { page, hostPage: await clientPage(before) };
}

/** The host's page of the client just connected, not one of `before` (the tab's bridge is a page of its own). */
async function clientPage(before: Set<Page>): Promise<Page> {
  const withClient = () => wv.pages.filter((p) => !before.has(p) && p.connections.some((c) => !c.bridged && c.extended));
  await until(() => withClient().length === 1);
  return withClient()[0]!;
}

const ramp = (n: number, first: number) => Float32Array.from({ length: n }, (_, i) => (i === 0 ? first : Math.sin(i / 8)));

describe('owned stream frames (PROTOCOL.md §4.9)', () => {
  it('arrive owning exactly their samples, with their time; a buffer transferred to a worker leaves the client working', async () => {
    const before = new Set(wv.pages);
    const page = await openPage();
    await page.evaluate(async () => {
      const w = window as Win;
      w.client = w.lib.connect({});
      w.layouts = [];
      w.client.on('owned', (d: Float32Array, meta: { time?: number; seq?: number }) => {
        w.layouts.push({ byteOffset: d.byteOffset, length: d.length, bufferBytes: d.buffer.byteLength, first: d[0], time: meta.time });
        if (w.layouts.length !== 1) return;
        const worker = new Worker(w.moduleUrl('onmessage = (e) => postMessage(e.data.length)'));
        w.transferred = new Promise((resolve) => (worker.onmessage = (e) => resolve({ lengthInWorker: e.data, leftHere: d.buffer.byteLength })));
        worker.postMessage(d, [d.buffer]);
      });
      await w.client.ready;
    });
    const hostPage = await clientPage(before);
    wv.send('owned', ramp(2048, 1), { time: 1234.5 });
    await page.waitForFunction(() => (window as Win).layouts.length === 1);
    expect(await page.evaluate(() => (window as Win).transferred)).toEqual({ lengthInWorker: 2048, leftHere: 0 });
    wv.send('owned', ramp(2048, 2));
    wv.send('owned', ramp(8192, 3));
    await page.waitForFunction(() => (window as Win).layouts.length === 3);
    expect(await page.evaluate(() => (window as Win).layouts)).toEqual([
      { byteOffset: 0, length: 2048, bufferBytes: 8192, first: 1, time: 1234.5 },
      { byteOffset: 0, length: 2048, bufferBytes: 8192, first: 2, time: undefined },
      { byteOffset: 0, length: 8192, bufferBytes: 32768, first: 3, time: undefined },
    ]);
    expect(hostPage.connections.filter((c) => !c.bridged).map((c) => c.owned)).toEqual([true]);
    expect(await page.evaluate(() => (window as Win).client.call('mix', 2, 3))).toBe(5);
    await page.close();
  });
});

describe('the worker client (connectWorker)', () => {
  it('messages and calls both ways, parameters with a gesture, main-thread stream listeners', async () => {
    const gain = wv.parameter('wgain', { min: 0, max: 1, default: 0.25 });
    const gestures: string[] = [];
    gain.on('gesture', (gesture: { phase: string }) => gestures.push(gesture.phase));
    const { page, hostPage } = await workerPage();
    const up = nextMessage(wv, 'up');
    await page.evaluate(() => {
      const w = window as Win;
      w.client.on('hello', (data: unknown) => w.got.push({ id: 'hello', data }));
      w.client.on('main-stream', (data: Float32Array) => w.got.push({ id: 'main-stream', first: data[0], owned: data.byteOffset === 0 && data.buffer.byteLength === data.byteLength }));
      w.client.handle('square', (x: number) => x * x);
      w.client.send('up', { from: 'worker client' });
    });
    expect(await up).toEqual({ from: 'worker client' });
    wv.send('hello', { a: [1, 'ü'] });
    wv.send('main-stream', ramp(2048, 7));
    await page.waitForFunction(() => (window as Win).got.length === 2);
    expect(await page.evaluate(() => (window as Win).got)).toEqual([
      { id: 'hello', data: { a: [1, 'ü'] } },
      { id: 'main-stream', first: 7, owned: true },
    ]);
    expect(await page.evaluate(() => (window as Win).client.call('mix', 4, 5))).toBe(9);
    expect(await wv.call(hostPage, 'square', 12)).toBe(144);
    await page.evaluate(async () => {
      const p = (window as Win).client.parameter('wgain');
      await p.ready;
      p.begin();
      p.set(0.5);
      p.set(0.75);
      p.end();
    });
    await until(() => gestures.includes('end'));
    expect(gain.value).toBe(0.75);
    expect(gestures).toEqual(['start', 'end']);
    await page.close();
  });

  it('streams consumed in the worker by a loaded module; subscriptions and visibility reach the host', async () => {
    const { page, hostPage } = await workerPage();
    await page.evaluate(async () => {
      const w = window as Win;
      w.fromWorker = [];
      w.client.onWorkerMessage((m: unknown) => w.fromWorker.push(m));
      const code = `export default (ctx) => {
        let n = 0, owned = 0;
        ctx.on('scope', (d) => {
          n++;
          if (d.byteOffset === 0 && d.buffer.byteLength === d.byteLength) owned++;
          ctx.post({ n, owned, inWorker: typeof document === 'undefined', hostTime: typeof ctx.hostTime() });
        });
      };`;
      await w.client.streamsToWorker(w.moduleUrl(code));
    });
    for (let i = 0; i < 5; i++) wv.send('scope', ramp(2048, i));
    await page.waitForFunction(() => (window as Win).fromWorker.length === 5);
    expect(await page.evaluate(() => (window as Win).fromWorker.at(-1))).toEqual({ n: 5, owned: 5, inWorker: true, hostTime: 'number' });
    // Subscriptions: only 'scope' from now on.
    await page.evaluate(() => (window as Win).client.subscribe('scope'));
    await until(() => {
      wv.send('other', new Float32Array(4));
      return (hostPage.streamStats?.ids.get('other')?.unsubscribed ?? 0) > 0;
    });
    // Visibility: the page reports itself hidden, through the worker.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await until(() => hostPage.streamStats?.visible === false);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await until(() => hostPage.streamStats?.visible === true);
    await page.close();
  });

  it('after its connection is killed: reconnects, and every message arrives once, in order', async () => {
    const inbox: number[] = [];
    const off = wv.onMessage('wn', (value) => void inbox.push(value as number));
    const { page, hostPage } = await workerPage();
    await page.evaluate(() => {
      const w = window as Win;
      w.sent = 0;
      const timer = setInterval(() => {
        w.client.send('wn', w.sent++);
        if (w.sent === 300) clearInterval(timer);
      }, 1);
    });
    await until(() => inbox.length > 20);
    hostPage.terminate(); // its connections are cut mid-stream
    await until(() => inbox.length >= 300, 15_000);
    await page.waitForFunction(() => (window as Win).client.queued === 0);
    expect(inbox).toEqual(Array.from({ length: 300 }, (_, i) => i));
    off();
    await page.close();
  });

  it('a SharedArrayBuffer ring holds the newest frame of a stream, read with no message (cross-origin isolated page)', async () => {
    const { page } = await workerPage();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.evaluate(() => {
      const w = window as Win;
      w.ring = w.client.ring('ringed', 4096);
      w.into = new Float32Array(4096);
    });
    // The ring reaches the worker before the frames: a call's round trip later it surely has.
    expect(await page.evaluate(() => (window as Win).client.call('mix', 1, 1))).toBe(2);
    wv.send('ringed', ramp(2048, 0.5));
    wv.send('ringed', ramp(1024, 0.25));
    await page.waitForFunction(() => (window as Win).ring.seq === 2);
    expect(await page.evaluate(() => {
      const w = window as Win;
      const count = w.ring.read(w.into);
      return { count, first: w.into[0], again: w.ring.read(w.into), shared: w.ring.buffer instanceof SharedArrayBuffer };
    })).toEqual({ count: 1024, first: 0.25, again: -1, shared: true });
    await page.close();
  });

  it('each reference component draws (pixels change): in the worker with WebGL2 and 2D, and on the main thread', async () => {
    const { page } = await workerPage();
    const ids = ['scope', 'spectrum', 'meter', 'scope2d', 'main2d'];
    const blank: Buffer[] = [];
    await page.evaluate(() => {
      const w = window as Win;
      const canvas = (id: string) => document.getElementById(id);
      w.client.mount(canvas('scope'), 'oscilloscope', { id: 'wave' });
      w.client.mount(canvas('spectrum'), 'spectrum', { id: 'wave' });
      w.client.mount(canvas('meter'), 'meter', { id: 'wave' });
      w.client.mount(canvas('scope2d'), 'oscilloscope', { id: 'wave', renderer: '2d' });
      w.mainMeter = w.lib.mountComponent('meter', canvas('main2d'), w.client, { id: 'wave', renderer: '2d' });
    });
    for (const id of ids) blank.push(await page.locator(`#${id}`).screenshot());
    const drawnAll = async () => {
      for (const [i, id] of ids.entries()) if ((await page.locator(`#${id}`).screenshot()).equals(blank[i]!)) return false;
      return true;
    };
    const deadline = Date.now() + 10_000;
    let drawn = false;
    while (!drawn && Date.now() < deadline) {
      wv.send('wave', Float32Array.from({ length: 2048 }, (_, i) => 0.8 * Math.sin(i / 10)));
      drawn = await drawnAll();
    }
    expect(drawn).toBe(true);
    expect(await page.evaluate(() => (window as Win).mainMeter.drawn)).toBeGreaterThan(0);
    await page.close();
  });
});

function nextMessage(host: WebView, id: string): Promise<unknown> {
  return new Promise((resolve) => {
    const off = host.onMessage(id, (value) => {
      off();
      resolve(value);
    });
  });
}
