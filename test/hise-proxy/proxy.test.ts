import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevHost, type DevHost } from '../../src/dev/dev-host.js';
import type { DevLogger } from '../../src/dev/log.js';
import { hiseProxyHost, PROXY_WEBVIEW_OPTIONS } from '../../src/dev/proxy-host.js';
import { HISE_PROXY_NOTICE_ID, readRecordingFile, type HiseProxy, type WebViewError } from '../../src/host/index.js';
import { WebSocket } from 'ws';
import { connect } from '../../src/client/index.js';
import type { InspectorHistory, LogEntry } from '../../src/inspector/snapshot.js';
import { launchChromium } from '../helpers/chromium.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';
import { startHiseEmulator, type HiseData, type HiseEmulator } from '../helpers/hise-emulator.js';

// Issue 22: `hise-webview proxy` between Chromium pages and a running HISE, here the emulator of
// test/helpers/hise-emulator.ts (HISE's little-endian lengths, its ~5 ms latest-per-id cycle).

const quiet: DevLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const FLOATS = 2048;

/** A page written as HISE's documentation writes one, recording what its client receives. */
function hisePage(client: string, connect: string): string {
  return `<!doctype html>
<html><head>${client}</head><body><script>
window.received = [];
function listen(server) {
  server.addEventListener(function (id, data) {
    window.received.push({ id: id, text: typeof data === 'string' ? data : null, floats: typeof data === 'string' ? null : Array.from(data) });
  });
}
window.initWebSocket = function (port) { window.server = new HiseWebSocketServer(port); listen(window.server); };
${connect}
</script></body></html>`;
}

const STOCK_CLIENT = HISE_CLIENT_JS === undefined ? '' : `<script>${await readFile(HISE_CLIENT_JS, 'utf8')}</script>`;
const DROP_IN = '<script src="hisewebsocket-min.js"></script>';
/** Connected to the port in `?port=` at once (before `load`, as HISE's client needs), not through `initWebSocket`. */
const DIRECT = "var direct = Number(new URLSearchParams(location.search).get('port')); window.initWebSocket = function () {}; window.server = new HiseWebSocketServer(direct); listen(window.server);";

let browser: Browser;
let root: string;
beforeAll(async () => {
  browser = await launchChromium();
  root = await mkdtemp(join(tmpdir(), 'hwv-proxy-'));
  await writeFile(join(root, 'stock.html'), hisePage(STOCK_CLIENT, ''));
  await writeFile(join(root, 'drop-in.html'), hisePage(DROP_IN, ''));
  await writeFile(join(root, 'stock-direct.html'), hisePage(STOCK_CLIENT, DIRECT));
  await writeFile(join(root, 'drop-in-direct.html'), hisePage(DROP_IN, DIRECT));
});
afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

interface Proxied {
  emulator: HiseEmulator;
  host: DevHost;
  proxy: HiseProxy;
  warnings: WebViewError[];
  close(): Promise<void>;
}

/** An emulated HISE, and a proxy to it serving `root`. */
async function startProxied(record?: string, inspect = false): Promise<Proxied> {
  const emulator = await startHiseEmulator();
  let proxy!: HiseProxy;
  const host = await startDevHost({
    root,
    log: quiet,
    webView: PROXY_WEBVIEW_OPTIONS,
    hostFunction: hiseProxyHost(quiet, { port: emulator.port }, (started) => (proxy = started)),
    inspect,
    ...(record === undefined ? {} : { tape: { record: { file: record } } }),
  });
  const warnings: WebViewError[] = [];
  proxy.on('warning', (error) => warnings.push(error));
  await proxy.ready;
  return {
    emulator,
    host,
    proxy,
    warnings,
    async close() {
      await host.close();
      await emulator.close();
    },
  };
}

async function openPage(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { server?: { socket?: WebSocket } }).server?.socket?.readyState === 1);
  return page;
}

/** Waits for the page to have received a message of `id`, and returns the first. */
async function received(page: BrowserPage, id: string): Promise<{ text: string | null; floats: number[] | null }> {
  await page.waitForFunction((wanted) => (window as unknown as { received: { id: string }[] }).received.some((m) => m.id === wanted), id);
  return page.evaluate((wanted) => (window as unknown as { received: { id: string; text: string | null; floats: number[] | null }[] }).received.find((m) => m.id === wanted)!, id);
}

/** What the inspector of `host` has logged so far (its history, as an inspector page gets it first). */
async function inspectorLog(host: DevHost): Promise<LogEntry[]> {
  const url = new URL(host.inspectorUrl!);
  class FromInspectorPage extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { Origin: url.origin } });
    }
  }
  const token = decodeURIComponent(url.hash.replace('#token=', ''));
  const client = connect<any>({ url: `ws://127.0.0.1:${host.port}/__hise-webview/inspector/socket`, token, WebSocket: FromInspectorPage as never });
  try {
    return await new Promise<LogEntry[]>((resolve) => client.onAny((id, data) => id === 'history' && resolve([...(data as InspectorHistory).log])));
  } finally {
    client.close();
  }
}

const sine = Float32Array.from({ length: FLOATS }, (_, i) => Math.sin(i / 7));

describe('through the proxy, pages receive what HISE sends over 125 bytes intact', () => {
  it.skipIf(HISE_CLIENT_JS === undefined)(hiseTitle("HISE's stock client and the drop-in receive 2,048-float sends and buffers intact"), async () => {
    const run = await startProxied();
    try {
      const pages = await Promise.all([openPage(`${run.host.url}stock.html`), openPage(`${run.host.url}drop-in.html`)]);
      run.emulator.sendToWebSocket('scope', sine);
      run.emulator.sendToWebSocket('status', 'x'.repeat(300));
      run.emulator.addBufferToWebSocket(0, sine.map((v) => -v));
      for (const page of pages) {
        expect((await received(page, 'scope')).floats).toEqual(Array.from(sine));
        expect((await received(page, 'status')).text).toBe('x'.repeat(300));
        expect((await received(page, '0')).floats).toEqual(Array.from(sine.map((v) => -v)));
      }
      expect(run.warnings).toEqual([]);
    } finally {
      await run.close();
    }
  });
});

describe('connected to the emulated HISE directly, they cannot', () => {
  it.skipIf(HISE_CLIENT_JS === undefined).each(['stock', 'drop-in'])(hiseTitle('%s: the 2,048-float message is mis-framed and the browser fails the connection'), async (client) => {
    const emulator = await startHiseEmulator();
    const ticks = setInterval(() => emulator.sendToWebSocket('tick', 't'), 20);
    try {
      const host = await startDevHost({ root, log: quiet });
      try {
        const page = await openPage(`${host.url}${client}-direct.html?port=${emulator.port}`);
        const closed = emulator.nextClose();
        emulator.sendToWebSocket('scope', new Float32Array(FLOATS).fill(0.5));
        await closed; // little-endian 0d 20 read as 0x0d20 = 3,360 bytes: the rest is garbage to the browser
        const scopes = await page.evaluate(() => (window as unknown as { received: { id: string; floats: number[] | null }[] }).received.filter((m) => m.id === 'scope'));
        expect(scopes.some((m) => m.floats?.length === FLOATS)).toBe(false);
      } finally {
        await host.close();
      }
    } finally {
      clearInterval(ticks);
      await emulator.close();
    }
  });
});

describe('page → HISE: over 125 bytes delivered as HISE reads it, or refused with a code, never mis-read', () => {
  it('X1 (drop-in) a 300-byte JSON and 4,096 floats arrive; 70,000 bytes are refused with HISE_MESSAGE_TOO_LARGE, to the page and the terminal', async () => {
    const run = await startProxied();
    const heard: HiseData[] = [];
    let floats!: () => void;
    const heardFloats = new Promise<void>((resolve) => (floats = resolve));
    const after = new Promise<void>((resolve) =>
      run.emulator.setWebSocketCallback((data) => {
        heard.push(data);
        if (data instanceof Float32Array) floats();
        if (data === 'after') resolve();
      }),
    );
    try {
      const page = await openPage(`${run.host.url}drop-in.html`);
      const big = { note: 'y'.repeat(300), list: [1, 2, 3] };
      await page.evaluate((json) => {
        const server = (window as unknown as { server: { send(data: unknown): void } }).server;
        server.send(json);
        server.send(new Float32Array(4096).fill(0.25));
        server.send('z'.repeat(70_000));
      }, JSON.stringify(big));
      // Once HISE has read the floats: text in the same read batch as a buffer HISE delivers as that
      // buffer (the emulator does too), which the proxy's textGap makes unlikely but cannot rule out.
      await heardFloats;
      await page.evaluate(() => (window as unknown as { server: { send(data: unknown): void } }).server.send('after'));
      await after;
      expect(heard[0]).toEqual(big);
      expect(heard[1]).toBeInstanceOf(Float32Array);
      expect(Array.from(heard[1] as Float32Array)).toEqual(new Array(4096).fill(0.25));
      expect(heard.slice(2)).toEqual(['after']); // nothing mis-read, nothing of the refused one
      const notice = JSON.parse((await received(page, HISE_PROXY_NOTICE_ID)).text!);
      expect(notice.code).toBe('HISE_MESSAGE_TOO_LARGE');
      expect(run.warnings.map((w) => w.code)).toEqual(['HISE_MESSAGE_TOO_LARGE']);
    } finally {
      await run.close();
    }
  });
});

describe('what the proxy does not pass on', () => {
  it('X3 HISE not there: HISE_UNREACHABLE, and a page message is refused with HISE_NOT_CONNECTED; once HISE starts, the proxy connects', async () => {
    const gone = await startHiseEmulator();
    await gone.close(); // its port is free now: nothing listens there
    let proxy!: HiseProxy;
    const host = await startDevHost({ root, log: quiet, webView: PROXY_WEBVIEW_OPTIONS, hostFunction: hiseProxyHost(quiet, { port: gone.port }, (p) => (proxy = p)) });
    try {
      const unreachable = new Promise<WebViewError>((resolve) => proxy.once('disconnected', resolve));
      const warned = new Promise<WebViewError>((resolve) => proxy.once('warning', resolve));
      expect((await unreachable).code).toBe('HISE_UNREACHABLE');
      const page = await openPage(`${host.url}drop-in.html`);
      await page.evaluate(() => (window as unknown as { server: { send(data: unknown): void } }).server.send('hello'));
      expect((await warned).code).toBe('HISE_NOT_CONNECTED');
      expect(JSON.parse((await received(page, HISE_PROXY_NOTICE_ID)).text!).code).toBe('HISE_NOT_CONNECTED');
      expect(proxy.connected).toBe(false);
      // HISE starts: the proxy, trying every second, connects, and the page's messages reach it.
      const back = await startHiseEmulator(gone.port);
      try {
        const connected = new Promise<void>((resolve) => proxy.once('connected', resolve));
        const heard = new Promise<HiseData>((resolve) => back.setWebSocketCallback(resolve));
        await connected;
        await page.evaluate(() => (window as unknown as { server: { send(data: unknown): void } }).server.send('again'));
        expect(await heard).toBe('again');
      } finally {
        await back.close();
      }
    } finally {
      await host.close();
    }
  });

  it('X4 a frame from HISE that is not a HISE message: HISE_MESSAGE_UNREADABLE, and the next one arrives', async () => {
    const run = await startProxied();
    try {
      const page = await openPage(`${run.host.url}drop-in.html`);
      expect(run.proxy.connected).toBe(true);
      const warned = new Promise<WebViewError>((resolve) => run.proxy.once('warning', resolve));
      run.emulator.writeRaw(Buffer.from([0x01, 0x09, 0x00, 0x61])); // an id length past the end
      expect((await warned).code).toBe('HISE_MESSAGE_UNREADABLE');
      run.emulator.sendToWebSocket('after', 'still here');
      expect((await received(page, 'after')).text).toBe('still here');
      expect(await page.evaluate(() => (window as unknown as { received: unknown[] }).received.length)).toBe(1);
    } finally {
      await run.close();
    }
  });
});

describe('a recorded proxy session replays without HISE', () => {
  it('the inspector sees both ways; serve --replay of a proxy recording sends the pages what HISE sent', async () => {
    const file = join(root, 'session.hwvrec');
    const run = await startProxied(file, true);
    try {
      const page = await openPage(`${run.host.url}drop-in.html`);
      const heard = new Promise<HiseData>((resolve) => run.emulator.setWebSocketCallback(resolve));
      run.emulator.sendToWebSocket('scope', sine);
      run.emulator.sendToWebSocket('status', 'from HISE');
      await received(page, 'status');
      await received(page, 'scope');
      await page.evaluate(() => (window as unknown as { server: { send(data: unknown): void } }).server.send('hello HISE'));
      expect(await heard).toBe('hello HISE');
      const log = await inspectorLog(run.host);
      expect(log.some((entry) => entry.direction === 'out' && entry.id === 'scope')).toBe(true);
      expect(log.some((entry) => entry.direction === 'in' && entry.text.includes('hello HISE'))).toBe(true);
    } finally {
      await run.close();
    }
    const replaying = await startDevHost({ root, log: quiet, tape: { replay: await readRecordingFile(file) } });
    try {
      const page = await openPage(`${replaying.url}drop-in.html`);
      expect((await received(page, 'scope')).floats).toEqual(Array.from(sine));
      expect((await received(page, 'status')).text).toBe('from HISE');
    } finally {
      await replaying.close();
    }
  });
});
