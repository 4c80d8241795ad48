import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import type { HiseWarning } from '../../src/host/hise-strict/warnings.js';
import { scopeWebView } from '../../src/dev/scoped-web-view.js';
import { launchChromium } from '../helpers/chromium.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';

// HISE-strict mode in Chromium: one browser and one strict host for the file (each test uses its
// own ids and functions: warnings come once per code and id), a second host where a test needs a
// host of its own. The page is served by the host, with our drop-in as HISE's client.

const PAGE = `<!doctype html>
<html><head><script src="hisewebsocket-min.js"></script></head>
<body><script>
window.got = [];
window.modes = [];
function setMode(mode) { modes.push(mode); }
window.initWebSocket = function (port) {
  window.server = new HiseWebSocketServer(port);
  server.addEventListener(function (id, data) { got.push([id, data instanceof Float32Array ? { floats: data.length, first: data[0] } : data]); });
};
</script></body></html>`;

let browser: Browser;
let context: BrowserContext;
let wv: WebView;
/** One page of `wv` for the tests that only send to it (each with its own ids). */
let shared: BrowserPage;
let sharedErrors: string[];
const warnings: HiseWarning[] = [];

async function strictHost(): Promise<WebView> {
  const host = new WebView({ hise: 'strict' });
  host.setHtmlContent(PAGE);
  const port = await host.setEnableWebSocket(0);
  void host.callFunction('initWebSocket', port); // persistent: every page that loads connects
  return host;
}

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext();
  wv = await strictHost();
  wv.on('hise-warning', (warning) => warnings.push(warning));
  ({ page: shared, errors: sharedErrors } = await openPage(wv));
});
afterAll(async () => {
  await browser?.close();
  await wv?.close();
});

/** A page of `host`, loaded and connected (its drop-in's socket open). */
async function openPage(host: WebView): Promise<{ page: BrowserPage; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.url!);
  await page.waitForFunction(() => (window as unknown as { server?: { connected: boolean } }).server?.connected === true);
  return { page, errors };
}

/** What the page received, once it has received the message `sentinel` (sent in a later cycle). */
async function receivedUntil(host: WebView, page: BrowserPage, sentinel: string): Promise<[string, unknown][]> {
  host.sendToWebSocket(sentinel, 'end');
  await page.waitForFunction((id) => (window as unknown as { got: [string][] }).got.some(([got]) => got === id), sentinel);
  return page.evaluate(() => (window as unknown as { got: [string, unknown][] }).got);
}

function warned(code: string, id?: string): HiseWarning[] {
  return warnings.filter((w) => w.code === code && (id === undefined || w.id === id));
}

describe('HISE-strict mode in Chromium', () => {
  it('a 2,048-float sendToWebSocket warns HISE_FRAME_TOO_LONG once per id (and still arrives, correctly framed)', async () => {
    const page = shared;
    expect(wv.sendToWebSocket('scope', new Float32Array(2048).fill(0.5))).toBe('queued');
    await page.waitForFunction(() => (window as unknown as { got: [string][] }).got.some(([id]) => id === 'scope'));
    wv.sendToWebSocket('scope', new Float32Array(2048));
    const got = await receivedUntil(wv, page, 'scope-end');
    expect(got.filter(([id]) => id === 'scope')).toEqual([['scope', { floats: 2048, first: 0.5 }], ['scope', { floats: 2048, first: 0 }]]);
    expect(warned('HISE_FRAME_TOO_LONG', 'scope')).toHaveLength(1);
    expect(warned('HISE_FRAME_TOO_LONG', 'scope')[0]!.message).toContain('message `scope` is 8,205 bytes: inside HISE a host→page message over 125 bytes stalls');
  });

  it('two values of one id inside a cycle: the page gets only the last (HISE_SAME_CYCLE)', async () => {
    const page = shared;
    wv.sendToWebSocket('level', 'first');
    wv.sendToWebSocket('level', 'second');
    const got = await receivedUntil(wv, page, 'level-end');
    expect(got.filter(([id]) => id === 'level')).toEqual([['level', 'second']]);
    expect(warned('HISE_SAME_CYCLE', 'level')).toHaveLength(1);
  });

  it('non-ASCII text arrives cut as HISE cuts it: its first (character count) UTF-8 bytes', async () => {
    const page = shared;
    wv.sendToWebSocket('title', 'héllo wörld'); // 11 characters, 13 bytes: the page gets 11 bytes
    const got = await receivedUntil(wv, page, 'title-end');
    expect(got.filter(([id]) => id === 'title')).toEqual([['title', 'héllo wör']]);
    expect(warned('HISE_TEXT_CUT', 'title')).toHaveLength(1);
  });

  it.skipIf(HISE_CLIENT_JS === undefined)(hiseTitle("HISE's stock client gets the cut text as HISE sends it"), async () => {
    const root = mkdtempSync(join(tmpdir(), 'hise-strict-root-'));
    writeFileSync(join(root, 'index.html'), PAGE);
    copyFileSync(resolve(HISE_CLIENT_JS!), join(root, 'hisewebsocket-min.js'));
    const host = new WebView({ hise: 'strict' });
    const codes: string[] = [];
    host.on('hise-warning', (warning) => codes.push(warning.code));
    try {
      await host.setIndexFile(root);
      const port = await host.setEnableWebSocket(0);
      void host.callFunction('initWebSocket', port);
      host.sendToWebSocket('title', 'héllo wörld'); // held for the first page, as HISE holds it
      const page = await context.newPage();
      await page.goto(host.url!);
      await page.waitForFunction(() => (window as unknown as { got: [string][] }).got.length > 0);
      expect(await page.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([['title', 'héllo wör']]);
      expect(codes).toEqual(['HISE_TEXT_CUT']);
      await page.close();
    } finally {
      await host.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('arrays, numbers and booleans are dropped with HISE_DATA_DROPPED; the alias warns HISE_METHOD_MISSPELLED', async () => {
    const page = shared;
    expect(wv.sendToWebSocket('list', [1, 2, 3])).toBe('dropped');
    expect(wv.sendToWebSocket('flag', true as unknown as object)).toBe('dropped');
    wv.sendToWebsocket('alias', 'via the docs spelling');
    const got = await receivedUntil(wv, page, 'drop-end');
    expect(got.filter(([id]) => id === 'list' || id === 'flag')).toEqual([]);
    expect(got).toContainEqual(['alias', 'via the docs spelling']);
    expect(warned('HISE_DATA_DROPPED').map((w) => w.id)).toEqual(['list', 'flag']);
    expect(warned('HISE_METHOD_MISSPELLED')).toHaveLength(1);
  });

  it('enablePersistence off then on replays the calls stored before', async () => {
    void wv.callFunction('setMode', 'stored-before');
    wv.enablePersistence = false;
    void wv.callFunction('setMode', 'while-off'); // neither stored nor replayed
    wv.enablePersistence = true;
    const { page } = await openPage(wv);
    expect(await page.evaluate(() => (window as unknown as { modes: string[] }).modes)).toEqual(['stored-before']);
    await page.close();
  });

  it('buffers: sent once when added and on updateBuffer, to the first open page only (HISE_BUFFER_FIRST_PAGE)', async () => {
    const first = { page: shared }; // connected first of all pages now open
    const second = await openPage(wv);
    const samples = new Float32Array(4).fill(0.25);
    wv.addBufferToWebSocket(7, samples);
    await first.page.waitForFunction(() => (window as unknown as { got: [string][] }).got.some(([id]) => id === '7'));
    samples.fill(0.75);
    expect(wv.updateBuffer(7)).toBe('queued');
    const firstGot = await receivedUntil(wv, first.page, 'buffer-end');
    const secondGot = await receivedUntil(wv, second.page, 'buffer-end');
    expect(firstGot.filter(([id]) => id === '7')).toEqual([['7', { floats: 4, first: 0.25 }], ['7', { floats: 4, first: 0.75 }]]);
    expect(secondGot.filter(([id]) => id === '7')).toEqual([]);
    expect(warned('HISE_BUFFER_FIRST_PAGE', '7')).toHaveLength(1);
    await second.page.close();
  });

  it('the page is not served on the socket port: a socket built from location.port is refused (HISE_PAGE_ORIGIN)', async () => {
    expect(new URL(wv.url!).port).not.toBe(String(wv.port));
    const page = shared;
    const outcome = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(`ws://${location.host}/`);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('error');
        }),
    );
    expect(outcome).toBe('error');
    expect(warned('HISE_PAGE_ORIGIN')).toHaveLength(1);
  });
});

describe('HISE-strict mode across a host-module restart and in the page', () => {
  it("after a host-module save the page receives the old run's persistent calls, and its stale binding resolves null", async () => {
    const host = await strictHost();
    const hostWarnings: HiseWarning[] = [];
    host.on('hise-warning', (warning) => hostWarnings.push(warning));
    try {
      const firstRun = scopeWebView(host);
      void firstRun.webView.callFunction('setMode', 'old-compile');
      firstRun.webView.bindCallback('oldCallback', () => 42);
      firstRun.dispose(); // the module was saved: its run is undone as the dev server undoes it
      const secondRun = scopeWebView(host);
      void secondRun.webView.callFunction('initWebSocket', host.port!); // the new run does not call setMode
      const { page } = await openPage(host);
      expect(await page.evaluate(() => (window as unknown as { modes: string[] }).modes)).toEqual(['old-compile']);
      expect(await page.evaluate(() => (window as unknown as { oldCallback: () => Promise<unknown> }).oldCallback())).toBeNull();
      expect(hostWarnings.map((w) => [w.code, w.id])).toContainEqual(['HISE_STALE_BINDING', 'oldCallback']);
      secondRun.dispose();
      const thirdRun = scopeWebView(host);
      void thirdRun.webView.callFunction('setMode', 'new-compile'); // the same key: replaces the old call
      const again = await openPage(host);
      expect(await again.page.evaluate(() => (window as unknown as { modes: string[] }).modes)).toEqual(['new-compile']);
      thirdRun.dispose();
      await page.close();
      await again.page.close();
    } finally {
      await host.close();
    }
  });

  it('a live call to a function the page lacks is a page error too, and rejects UNKNOWN_FUNCTION to the host', async () => {
    wv.enablePersistence = false; // not stored (strict mode keeps what was stored before)
    const [result] = await wv.callFunction('missingLive', 1);
    wv.enablePersistence = true;
    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'UNKNOWN_FUNCTION' } });
    await expect.poll(() => sharedErrors).toContain('missingLive is not defined');
  });

  it('a persisted call to a function the page lacks raises a ReferenceError in the page', async () => {
    const host = await strictHost();
    try {
      void host.callFunction('notDefinedInThePage', 1);
      const { page, errors } = await openPage(host);
      await expect.poll(() => errors).toContain('notDefinedInThePage is not defined');
      await page.close();
    } finally {
      await host.close();
    }
  });
});
