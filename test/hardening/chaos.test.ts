import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page as BrowserPage } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { modernPage, type Received } from '../helpers/pairing-pages.js';
import { RawPage, watchedHost } from './helpers.js';

// Real Chromium, real sockets, real processes: a page killed mid-stream, a connection cut, a host
// killed with SIGKILL and started again. The page (the modern client) reconnects by itself.

declare const window: { received: Received[]; client: { send(id: string, value: unknown): void; status: string }; sent: number; sender: ReturnType<typeof setInterval> };

let browser: Browser;
const contexts: BrowserContext[] = [];
const servers: PageServer[] = [];
const children: ChildProcess[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function openModernPage(port: number): Promise<BrowserPage> {
  const server = await servePages({ '/': modernPage(port) });
  servers.push(server);
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(server.url('/'));
  await page.waitForFunction(() => window.client?.status === 'open');
  return page;
}

const receivedOf = (page: BrowserPage, id: string): Promise<unknown[]> =>
  page.evaluate((wanted) => window.received.filter((r) => r.id === wanted).map((r) => r.value), id);

/** Starts sending `n` = 1, 2, 3 … from the page every `ms`, whatever the connection does. */
const startCounting = (page: BrowserPage, ms: number): Promise<void> =>
  page.evaluate((every) => {
    window.sent = 0;
    window.sender = setInterval(() => window.client.send('n', ++window.sent), every);
  }, ms);
const stopCounting = (page: BrowserPage): Promise<number> =>
  page.evaluate(() => {
    clearInterval(window.sender);
    return window.sent;
  });

function expectEachOnce(got: unknown[], sent: number): void {
  expect(got).toHaveLength(sent);
  expect(got).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
}

describe('chaos', () => {
  it('a page killed mid-stream: the host stays healthy and a new page gets the retained state', async () => {
    const { wv, port, errors } = await watchedHost();
    wv.retain('state');
    wv.send('state', { generation: 1 });
    const page = await openModernPage(port);
    const stream = setInterval(() => wv.send('scope', new Float32Array(512)), 2);
    try {
      await page.waitForFunction(() => window.received.filter((r) => r.id === 'scope').length > 20);
      await page.context().close(); // the tab is gone, frames still on their way
      await until(() => wv.pages.length === 0, 5000, 'the killed page to be dropped');
      wv.send('state', { generation: 2 });
      const next = await openModernPage(port);
      await next.waitForFunction(() => window.received.some((r) => r.id === 'state' && (r.value as { generation: number }).generation === 2));
      await next.waitForFunction(() => window.received.filter((r) => r.id === 'scope').length > 20);
      expect(await receivedOf(next, 'state')).toEqual([{ generation: 2 }]);
    } finally {
      clearInterval(stream);
    }
    expect(errors).toEqual([]);
  });

  it('connections cut by the host mid-stream: the page reconnects and every page → host message arrives exactly once', async () => {
    const { wv, port, inbox } = await watchedHost();
    wv.retain('state');
    wv.send('state', { generation: 1 });
    const page = await openModernPage(port);
    await startCounting(page, 2);
    for (let cut = 0; cut < 3; cut++) {
      await until(() => inbox.filter((m) => m.id === 'n').length > (cut + 1) * 30, 5000, 'messages between cuts');
      const cutPage = wv.pages[0]!;
      const cutOff = new Promise<void>((resolve) => wv.on('disconnect', (p) => p === cutPage && resolve())); // not a poll: it may be back between two
      cutPage.terminate();
      await cutOff;
      wv.send('state', { generation: cut + 2 });
      await until(() => wv.pages.length === 1, 5000, 'the page to reconnect by itself');
    }
    const sent = await stopCounting(page);
    // A sentinel sent after the last 'n': the page's messages arrive in order, resends included, so a
    // duplicate would be in the inbox before it.
    await page.evaluate(() => window.client.send('end', true));
    await until(() => inbox.some((m) => m.id === 'end'), 5000, 'the sentinel');
    expectEachOnce(inbox.filter((m) => m.id === 'n').map((m) => m.data), sent);
    await page.waitForFunction(() => window.received.some((r) => r.id === 'state' && (r.value as { generation: number }).generation === 4));
  });

  it('host → page control messages sent while the page is cut off arrive exactly once, in order, when it is back', async () => {
    const { wv, port } = await watchedHost();
    const page = await openModernPage(port);
    // (a) The only page is cut: its session log keeps every message sent meanwhile (the
    // latest-per-id queue for new pages does not apply to a session coming back).
    // Its disconnect, not a poll of wv.pages (the page may be back between two polls on a loaded
    // machine): the sends below run before any socket I/O, so before it can be back.
    const first = wv.pages[0]!;
    const cutOff = new Promise<void>((resolve) => wv.on('disconnect', (p) => p === first && resolve()));
    first.terminate();
    await cutOff;
    for (let i = 1; i <= 5; i++) expect(wv.send('ctl', `a${i}`)).toBe('queued');
    await until(() => wv.pages.length === 1, 5000, 'the reconnect');
    await page.waitForFunction(() => window.received.some((r) => r.value === 'a5'));
    await page.waitForFunction(() => window.received.filter((r) => r.id === 'ctl').length >= 5);
    expect(await receivedOf(page, 'ctl')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    // (b) Another page stays connected: messages sent while this one is cut go to the other page
    // ('sent') and wait in this page's session log until it is back.
    const other = new RawPage(port);
    await other.opened;
    await until(() => wv.pages.length === 2);
    const cut = wv.pages.find((p) => p.origin !== undefined)!;
    // Its disconnect, not a poll of wv.pages: on a loaded machine the page may be back between two polls.
    const gone = new Promise<void>((resolve) => wv.on('disconnect', (p) => p === cut && resolve()));
    cut.terminate();
    await gone;
    for (let i = 1; i <= 5; i++) expect(wv.send('ctl', `b${i}`)).toBe('sent');
    await until(() => wv.pages.length === 2, 5000, 'the reconnect');
    wv.send('ctl', 'after');
    await page.waitForFunction(() => window.received.some((r) => r.value === 'after'));
    expect(await receivedOf(page, 'ctl')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'b4', 'b5', 'after']);
    other.close();
  });

  it('Chromium offline emulation does not cut a WebSocket to localhost; it holds frames until online again', async () => {
    const { wv, port } = await watchedHost();
    let disconnects = 0;
    wv.on('disconnect', () => disconnects++);
    const page = await openModernPage(port);
    await page.context().setOffline(true);
    wv.send('ctl', 'while offline');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receivedOf(page, 'ctl')).toEqual([]);
    expect(disconnects).toBe(0);
    await page.context().setOffline(false);
    await page.waitForFunction(() => window.received.some((r) => r.value === 'while offline'));
    expect(disconnects).toBe(0);
  });

  it('the host process is killed (SIGKILL) and restarted on its port: the page reconnects, state resyncs, no message lost', async () => {
    const port = await freePort();
    const first = await startHostProcess(port, 1);
    const page = await openModernPage(port);
    await page.waitForFunction(() => window.received.some((r) => r.id === 'state'));
    await startCounting(page, 3);
    await until(() => first.got.length > 40, 5000, 'messages to the first host');
    first.child.kill('SIGKILL');
    await first.exited;
    await page.waitForFunction(() => window.client.status !== 'open');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the page keeps sending into its queue
    const second = await startHostProcess(port, 2);
    await page.waitForFunction(() => window.received.some((r) => r.id === 'state' && (r.value as { generation: number }).generation === 2), undefined, {
      timeout: 10_000,
    });
    const sent = await stopCounting(page);
    await until(() => new Set([...first.got, ...second.got]).size >= sent, 10_000, 'every message at one host or the other');
    const all = [...first.got, ...second.got];
    // Nothing lost; no duplicate within one host. Across the two, a message the first host delivered
    // but had not yet acknowledged when it died is delivered again by the second (its ledger is new).
    expect(new Set(all)).toEqual(new Set(Array.from({ length: sent }, (_, i) => i + 1)));
    expect(new Set(first.got).size).toBe(first.got.length);
    expect(new Set(second.got).size).toBe(second.got.length);
    const resent = all.length - sent;
    console.log(`host restart: ${sent} sent, ${first.got.length} to the first host, ${second.got.length} to the second, ${resent} delivered twice (unacknowledged when the first died)`);
    // The second host gets one contiguous run up to the last message: the resent tail, then the new ones.
    expect(second.got).toEqual(Array.from({ length: second.got.length }, (_, i) => sent - second.got.length + i + 1));
    expect(second.got.slice(0, resent).every((n) => first.got.includes(n))).toBe(true);
    expect(await receivedOf(page, 'state')).toEqual([{ generation: 1 }, { generation: 2 }]);
  }, 40_000);
});

/** A port that was free a moment ago: bound on port 0, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const HOST_SCRIPT = fileURLToPath(new URL('./fixtures/restart-host.mjs', import.meta.url));

async function startHostProcess(port: number, generation: number) {
  const child = spawn(process.execPath, [HOST_SCRIPT, String(port), String(generation)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const got: number[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`host process exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: number; got?: number };
      if (message.ready !== undefined) resolve();
      if (message.got !== undefined) got.push(message.got);
    });
  });
  await ready;
  return { child, got, exited };
}
