import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, RefusedConnection, WebView } from '../../src/host/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';

// One browser tab is one page: a page the host serves opens the bridge's socket and its own
// client's, and the host counts it once (connect, disconnect, pages, maxPages). Pages without the
// bridge stay one page per connection, as in HISE.

const WAIT_MS = 10_000;

let browser: Browser;
const roots: string[] = [];
const servers: PageServer[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function makeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hise-webview-tabs-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

/** A page with HISE's documented pattern, connecting at once: the drop-in (or HISE's client) records what arrives. */
const HISE_PAGE = `<!doctype html><html><head><script src="hisewebsocket-min.js"></script></head><body><script>
window.received = [];
window.server = new HiseWebSocketServer(Number(location.port));
server.addEventListener(function (id, data) { window.received.push(id + ':' + data); });
</script></body></html>`;

/** A page with the bridge, the drop-in and the modern client: three sockets, one tab. */
const MIXED_PAGE = `<!doctype html><html><head><script src="/hisewebsocket-min.js"></script></head><body><script>
window.received = [];
window.server = new HiseWebSocketServer(Number(location.port));
server.addEventListener(function (id, data) { window.received.push('drop-in ' + id + ':' + data); });
</script><script type="module">
import { connect } from '/hise-webview-client.js';
const client = connect({ port: Number(location.port) });
client.handle('whoAreYou', () => 'the modern client');
client.on('greeting', (text) => window.received.push('modern greeting:' + text));
window.client = client;
</script></body></html>`;

interface Recorded {
  connects: Page[];
  disconnects: Page[];
  refused: RefusedConnection[];
}

function record(wv: WebView): Recorded {
  const recorded: Recorded = { connects: [], disconnects: [], refused: [] };
  wv.on('connect', (page) => recorded.connects.push(page));
  wv.on('disconnect', (page) => recorded.disconnects.push(page));
  wv.on('refused', (info) => recorded.refused.push(info));
  return recorded;
}

async function openTab(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

/** Waits until every page has its bridge and one client connection. */
function untilSettled(wv: WebView, pages: number): Promise<void> {
  return until(() => wv.pages.length === pages && wv.pages.every((p) => p.connections.length === 2), WAIT_MS, `${pages} tabs with 2 connections each`);
}

const clients: { name: string; files: Record<string, string>; skip: boolean }[] = [
  { name: 'our drop-in', files: {}, skip: false },
  { name: hiseTitle("HISE's own client"), files: { 'hisewebsocket-min.js': '' }, skip: HISE_CLIENT_JS === undefined },
];

for (const { name, files, skip } of clients) describe.skipIf(skip)(`a served tab with ${name}`, () => {
  it('is one page: one connect, pages.length 1, its bridge and client inside; a reload is one disconnect and one connect', async () => {
    const root = makeRoot({ 'index.html': HISE_PAGE });
    if ('hisewebsocket-min.js' in files) copyFileSync(resolve(HISE_CLIENT_JS!), join(root, 'hisewebsocket-min.js'));
    const { wv } = await startHost();
    await wv.setIndexFile(root);
    const events = record(wv);
    const tab = await openTab(wv.url!);
    await untilSettled(wv, 1);
    const [page] = wv.pages;
    expect(events.connects).toEqual([page]);
    expect(page!.tab).toMatch(/^[\w-]{22}$/);
    expect(page!.bridged).toBe(true);
    expect(page!.extended).toBe(false); // its data arrives in HISE's format
    expect(page!.connections.map((c) => c.bridged).sort()).toEqual([false, true]);

    // The page's data goes to its client only, once.
    expect(wv.sendToWebsocket('hello', 'tab')).toBe('sent');
    await tab.waitForFunction(() => (window as unknown as { received: string[] }).received.includes('hello:tab'), undefined, { timeout: WAIT_MS });
    expect(wv.sendTo(page!, 'direct', 'to this tab')).toBe('sent');
    await tab.waitForFunction(() => (window as unknown as { received: string[] }).received.includes('direct:to this tab'), undefined, { timeout: WAIT_MS });

    await tab.reload();
    await until(() => events.disconnects.length === 1 && wv.pages.length === 1 && wv.pages[0] !== page && wv.pages[0]!.connections.length === 2, WAIT_MS, 'the reload');
    expect(events.disconnects).toEqual([page]);
    expect(events.connects).toEqual([page, wv.pages[0]]);
    expect(wv.pages[0]!.tab).not.toBe(page!.tab); // a new document is a new tab id
    await page!.closed;

    await tab.context().close();
    await until(() => wv.pages.length === 0, WAIT_MS, 'the tab to close');
    expect(events.connects).toHaveLength(2);
    expect(events.disconnects).toHaveLength(2);
  });
});

describe('tabs', () => {
  it('3 tabs are 3 pages; maxPages counts tabs, not sockets', async () => {
    const { wv } = await startHost({ maxPages: 3 });
    await wv.setIndexFile(makeRoot({ 'index.html': HISE_PAGE }));
    const events = record(wv);
    const tabs = [await openTab(wv.url!), await openTab(wv.url!), await openTab(wv.url!)];
    await untilSettled(wv, 3); // 6 sockets under maxPages 3
    expect(events.connects).toHaveLength(3);
    expect(events.refused).toEqual([]);

    const fourth = await openTab(wv.url!);
    await until(() => events.refused.length > 0, WAIT_MS, 'the fourth tab to be refused');
    expect(events.refused[0]!.reason).toBe('capacity');
    expect(wv.pages).toHaveLength(3);
    for (const tab of [...tabs, fourth]) await tab.context().close();
  });

  it('a tab with the bridge, the drop-in and the modern client: one page; calls reach the modern client; sendTo on connect waits for the client', async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(makeRoot({ 'index.html': MIXED_PAGE }));
    const greeted: string[] = [];
    wv.on('connect', (page) => greeted.push(wv.sendTo(page, 'greeting', 'hi'))); // the bridge connects first
    const calls: Promise<unknown>[] = [];
    wv.on('connect', (page) => calls.push(wv.call(page, 'whoAreYou')));
    const tab = await openTab(wv.url!);
    await until(() => wv.pages.length === 1 && wv.pages[0]!.connections.length === 3, WAIT_MS, 'three sockets in one tab');
    expect(wv.pages[0]!.extended).toBe(true);
    expect(await calls[0]).toBe('the modern client');
    expect(greeted).toHaveLength(1); // 'queued' when the bridge came first (as it does), else 'sent'
    await tab.waitForFunction(() => (window as unknown as { received: string[] }).received.includes('modern greeting:hi'), undefined, { timeout: WAIT_MS });
    expect(await wv.call(wv.pages[0]!, 'whoAreYou')).toBe('the modern client');
    await tab.context().close();
  });

  it('what the host broadcasts on connect reaches each new tab\'s client, which connects after the bridge', async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(makeRoot({ 'index.html': HISE_PAGE }));
    wv.on('connect', () => wv.sendToWebsocket('welcome', String(wv.pages.length)));
    const first = await openTab(wv.url!);
    await first.waitForFunction(() => (window as unknown as { received: string[] }).received.includes('welcome:1'), undefined, { timeout: WAIT_MS });
    const second = await openTab(wv.url!); // the first tab's client is connected: the broadcast is "sent", and held for the second
    await second.waitForFunction(() => (window as unknown as { received: string[] }).received.includes('welcome:2'), undefined, { timeout: WAIT_MS });
    expect(await second.evaluate(() => (window as unknown as { received: string[] }).received)).toEqual(['welcome:2']);
    expect(await first.evaluate(() => (window as unknown as { received: string[] }).received)).toEqual(['welcome:1', 'welcome:2']);
    await first.context().close();
    await second.context().close();
  });

  it('a page the host does not serve (no bridge) is one page per connection, as in HISE', async () => {
    const { wv, port } = await startHost();
    const events = record(wv);
    const server = await servePages({
      '/two.html': `<!doctype html><html><head><script src="http://127.0.0.1:${port}/hisewebsocket-min.js"></script></head><body><script>
        window.a = new HiseWebSocketServer(${port});
        window.b = new HiseWebSocketServer(${port});
      </script></body></html>`,
    });
    servers.push(server);
    const tab = await openTab(server.url('/two.html'));
    await until(() => wv.pages.length === 2, WAIT_MS, 'both connections');
    expect(events.connects).toHaveLength(2);
    expect(wv.pages.every((p) => p.tab === undefined && p.connections.length === 1 && !p.bridged)).toBe(true);
    await tab.context().close();
  });

  it('a tab id is no credential: a connection naming an open tab from another Origin is a page of its own', async () => {
    const { wv, port } = await startHost();
    await wv.setIndexFile(makeRoot({ 'index.html': HISE_PAGE }));
    const tab = await openTab(wv.url!);
    await untilSettled(wv, 1);
    const page = wv.pages[0]!;
    const stranger = new RecordingClient(`ws://127.0.0.1:${port}/?tab=${page.tab}`); // no Origin: a local process
    await stranger.opened; // the gates let it in…
    await until(() => wv.pages.length === 2, WAIT_MS, 'the stranger as a page');
    expect(page.connections).toHaveLength(2); // …but not into the tab
    expect(wv.pages[1]!.tab).toBe(page.tab);
    expect(wv.pages[1]!.connections).toHaveLength(1);
    await stranger.close();
    await until(() => wv.pages.length === 1, WAIT_MS, 'the stranger to leave');
    expect(wv.pages[0]).toBe(page);
    await tab.context().close();
  });

  it('maxConnectionsPerPage bounds the sockets of one tab', async () => {
    const { wv, port } = await startHost({ maxConnectionsPerPage: 2 });
    await wv.setIndexFile(makeRoot({ 'index.html': HISE_PAGE }));
    const events = record(wv);
    const tab = await openTab(wv.url!);
    await untilSettled(wv, 1);
    const origin = new URL(wv.url!).origin;
    const third = new RecordingClient(`ws://127.0.0.1:${port}/?tab=${wv.pages[0]!.tab}`, { headers: { Origin: origin } });
    expect(await refusalOf(third.socket)).toMatchObject({ code: RefusalCode.Capacity, messages: 0 });
    expect(events.refused.map((r) => r.reason)).toEqual(['capacity']);
    expect(wv.pages[0]!.connections).toHaveLength(2);
    await tab.context().close();
  });
});
