import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebView, type Page } from '../../src/host/index.js';
import { attachInspector, type Inspector } from '../../src/inspector/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

// The inspector page in Chromium, against a real host with a real modern page: what it shows,
// what its console does, and that the host is observed only while it is open.

const PAGE = `<!doctype html><html><head></head><body><script type="module">
import { connect } from '/hise-webview-client.js';
const client = connect();
window.received = [];
client.onAny((id, data) => window.received.push({ id, data }));
client.handle('echo', (value) => value);
window.client = client;
window.opened = client.ready;
</script></body></html>`;

const HOSTILE_ID = '<img src=x onerror="window.pwned=1">';

let browser: Browser;
let wv: WebView;
let inspector: Inspector;
let webPage: BrowserPage;
let hostPage: Page;
let observers = 0;
let inspectorPage: BrowserPage | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  // One host for the whole file (startHost's would close after each test).
  wv = new WebView();
  await wv.setEnableWebSocket(0);
  const observe = wv.observe.bind(wv);
  wv.observe = (observer) => {
    observers++;
    const stop = observe(observer);
    return () => {
      observers--;
      stop();
    };
  };
  wv.setHtmlContent(PAGE);
  wv.retain('state');
  wv.bindCallback('double', (args) => Number(args[0]) * 2);
  inspector = attachInspector(wv, { updateRate: 20 });
  webPage = await (await browser.newContext()).newPage();
  const connected = nextEvent(wv, 'connect');
  await webPage.goto(wv.url!);
  await webPage.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
  hostPage = ((await connected) as [Page])[0];
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await wv?.close();
});

async function openInspector(): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(inspector.url!);
  await page.locator('#status.open').waitFor({ timeout: 20_000 });
  expect(errors).toEqual([]);
  return page;
}

describe('inspector page', { timeout: 90_000 }, () => {
  it('is not observed until an inspector page connects, and no longer once the last one went', async () => {
    expect(inspector.observing).toBe(false);
    expect(observers).toBe(0);
    wv.send('state', { gain: 0.25 });
    inspectorPage = await openInspector();
    await until(() => inspector.observing, 20_000, 'observing');
    expect(observers).toBe(1);
    // Not a page of the host: the web page is the only one.
    expect(wv.pages).toEqual([hostPage]);
    const second = await openInspector();
    expect(observers).toBe(1);
    await second.context().close();
    await until(() => inspector.connected === 1, 20_000, 'second inspector gone');
    expect(inspector.observing).toBe(true);
    await inspectorPage.context().close();
    await until(() => !inspector.observing, 20_000, 'observer removed');
    expect(observers).toBe(0);
    inspectorPage = await openInspector();
    await until(() => inspector.observing, 20_000, 'observing again');
  });

  it('shows pages, a stream with its oscilloscope preview and rate, text, a JSON tree and retained values', async () => {
    const page = inspectorPage!;
    let phase = 0;
    const timer = setInterval(() => {
      phase += 0.3;
      wv.send('scope', Float32Array.from({ length: 512 }, (_, i) => Math.sin(phase + i / 16)));
      wv.send('label', `tick ${phase.toFixed(1)}`);
      wv.send('state', { gain: 0.5, nested: { list: [1, 2, 3] } });
    }, 20);
    try {
      const scopeRow = page.locator('tr[data-stream="scope"][data-direction="out"]');
      await scopeRow.locator('canvas.scope').waitFor({ timeout: 20_000 });
      await page.waitForFunction(
        () => Number(document.querySelector('tr[data-stream="scope"] td:nth-child(5)')?.textContent) > 0,
        undefined,
        { timeout: 20_000 },
      );
      expect(await scopeRow.locator('td').nth(2).textContent()).toBe('Float32Array');
      expect(await scopeRow.locator('td').nth(3).textContent()).toBe('512');
      expect(Number(await scopeRow.locator('canvas.scope').getAttribute('data-points'))).toBeGreaterThan(100);
      await expect.poll(() => page.locator('tr[data-stream="label"] .text-preview').textContent(), { timeout: 20_000 }).toMatch(/^tick /);
      await page.locator('tr[data-stream="state"] details > summary').first().click();
      await expect.poll(() => page.locator('tr[data-stream="state"]').textContent(), { timeout: 20_000 }).toContain('gain: 0.5');
      await expect.poll(() => page.locator('tr[data-retained="state"]').count(), { timeout: 20_000 }).toBe(1);
      const pageRow = page.locator(`tr[data-page="${hostPage.id}"]`);
      await expect.poll(() => pageRow.textContent(), { timeout: 20_000 }).toContain('modern');
      expect(await pageRow.textContent()).toContain(new URL(wv.url!).origin);
    } finally {
      clearInterval(timer);
    }
  });

  it('logs calls both ways with their duration and result or coded error', async () => {
    const page = inspectorPage!;
    await expect(wv.call(hostPage, 'echo', 7)).resolves.toBe(7);
    await expect(wv.call(hostPage, 'missing')).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
    const echo = page.locator('tr[data-call="echo"]').first();
    await expect.poll(() => echo.locator('td').nth(5).textContent(), { timeout: 20_000 }).toMatch(/^\d+\.\d ms$/);
    expect(await echo.textContent()).toContain('host → page');
    expect(await echo.locator('td').last().textContent()).toBe('7');
    const missing = page.locator('tr[data-call="missing"]').first();
    await expect.poll(() => missing.locator('td').last().textContent(), { timeout: 20_000 }).toContain('UNKNOWN_FUNCTION');
  });

  it('its console sends a message a page receives, and calls a page function and a bound callback', async () => {
    const page = inspectorPage!;
    const send = page.locator('form[data-action="send"]');
    await send.locator('input[name="id"]').fill('fromInspector');
    await send.locator('input[name="data"]').fill('{"x": [1, 2]}');
    await send.locator('button').click();
    await webPage.waitForFunction(() => (window as unknown as { received: { id: string }[] }).received.some((m) => m.id === 'fromInspector'), undefined, { timeout: 20_000 });
    const received = await webPage.evaluate(() => (window as unknown as { received: { id: string; data: unknown }[] }).received.find((m) => m.id === 'fromInspector'));
    expect(received?.data).toEqual({ x: [1, 2] });

    const callPage = page.locator('form[data-action="call page"]');
    await expect.poll(() => callPage.locator('select option').count(), { timeout: 20_000 }).toBe(1);
    await callPage.locator('input[name="name"]').fill('echo');
    await callPage.locator('input[name="args"]').fill('["from the console"]');
    await callPage.locator('button').click();
    await expect.poll(() => page.locator('#console-out').textContent(), { timeout: 20_000 }).toContain('"from the console"');

    const callHost = page.locator('form[data-action="call host"]');
    await callHost.locator('input[name="name"]').fill('double');
    await callHost.locator('input[name="args"]').fill('[21]');
    await callHost.locator('button').click();
    await expect.poll(() => page.locator('#console-out').textContent(), { timeout: 20_000 }).toContain('host double … 42');
    await callHost.locator('input[name="name"]').fill('nothing');
    await callHost.locator('button').click();
    await expect.poll(() => page.locator('#console-out').textContent(), { timeout: 20_000 }).toContain('UNKNOWN_FUNCTION');
  });

  it('shows what pages send as text, never as markup, and filters and pauses its log', async () => {
    const page = inspectorPage!;
    await webPage.evaluate((id) => (window as unknown as { client: { send(id: string, v: unknown): void } }).client.send(id, '<b>bold</b>'), HOSTILE_ID);
    const row = page.locator(`tr[data-log-id="${HOSTILE_ID.replace(/"/g, '\\"')}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.textContent()).toContain(HOSTILE_ID);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('main img, main b').count()).toBe(0);

    await page.locator('#log-id').fill('fromInspector');
    await expect.poll(() => page.locator('#log-rows tr').count(), { timeout: 20_000 }).toBe(1);
    await page.locator('#log-pause').click();
    const kept = async (): Promise<number> => Number(/paused \((\d+) kept\)/.exec((await page.locator('#log-count').textContent()) ?? '')?.[1]);
    const before = await kept();
    wv.send('fromInspector', 'while paused');
    // While paused the log is not redrawn (the entry is kept); resumed, it shows.
    await expect.poll(kept, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await page.locator('#log-rows tr').count()).toBe(1);
    await page.locator('#log-pause').click();
    await expect.poll(() => page.locator('#log-rows tr').count(), { timeout: 20_000 }).toBe(2);
  });

  it('shows each parameter with its spec, value and text, and a page gesture from start through its changes to its end; its console sets one', async () => {
    const page = inspectorPage!;
    wv.parameter('cutoff', { min: 20, max: 20_000, default: 1000, step: 1, unit: 'Hz' });
    const row = page.locator('tr[data-parameter="cutoff"]');
    await expect.poll(() => row.locator('td').nth(1).textContent(), { timeout: 20_000 }).toBe('number 20…20000 step 1 Hz, default 1000');
    expect(await page.locator('#no-parameters').isHidden()).toBe(true);
    // The page drags the knob: one gesture with three changes.
    await webPage.evaluate(async () => {
      type Param = { spec: unknown; begin(): void; set(v: number): void; end(): void };
      const param = (window as unknown as { client: { parameter(id: string): Param } }).client.parameter('cutoff');
      while (param.spec === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      param.begin();
      for (const value of [1500, 2200, 3000]) param.set(value);
      param.end();
    });
    const gesture = row.locator(`li.gesture[data-page="${hostPage.id}"]`);
    await expect.poll(() => gesture.getAttribute('data-reason'), { timeout: 20_000 }).toBe('end');
    expect(await gesture.getAttribute('data-from')).toBe('1000');
    expect(await gesture.getAttribute('data-to')).toBe('3000');
    expect(await gesture.getAttribute('data-changes')).toBe('3');
    expect(await gesture.textContent()).toContain('start 1000 → 1500 → 2200 → 3000 · end 1000 → 3000 (end)');
    expect(await row.locator('td.value').textContent()).toBe('3000');
    expect(await row.locator('td.text').textContent()).toBe(wv.parameters.get('cutoff')!.text);
    expect(await row.locator('td').nth(4).textContent()).toBe(`page ${hostPage.id}`);

    const set = page.locator('form[data-action="set parameter"]');
    await expect.poll(() => set.locator('select option').count(), { timeout: 20_000 }).toBe(1);
    await set.locator('input[name="value"]').fill('440.4');
    await set.locator('button').click();
    await expect.poll(() => page.locator('#console-out').textContent(), { timeout: 20_000 }).toContain('set cutoff … 440');
    await expect.poll(() => row.locator('td.value').textContent(), { timeout: 20_000 }).toBe('440');
    expect(await row.locator('td').nth(4).textContent()).toBe('host');
    await webPage.waitForFunction(() => (window as unknown as { client: { parameter(id: string): { value: unknown } } }).client.parameter('cutoff').value === 440, undefined, { timeout: 20_000 });
    await set.locator('input[name="value"]').fill('"loud"');
    await set.locator('button').click();
    await expect.poll(() => page.locator('#console-out').textContent(), { timeout: 20_000 }).toContain('INVALID_PARAMETER_VALUE');
  });
});
