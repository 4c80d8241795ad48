import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebView, type Page } from '../../src/host/index.js';
import { attachInspector, type Inspector } from '../../src/inspector/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { LOG_ENTRIES_PER_SNAPSHOT } from '../../src/inspector/snapshot.js';
import { RECENT_FRAMES } from '../../src/inspector/streams.js';

// The inspector page in Chromium, against a real host with a real modern page: what it shows
// (from before it was opened, too), what its console does, and when the host is observed.

// HISE's pattern: the page defines initWebSocket; the host calls it once the page is there, and the
// page opens its socket and says hello.
const PAGE = `<!doctype html><html><head></head><body><script type="module">
import { connect } from '/hise-webview-client.js';
window.received = [];
window.initWebSocket = (port) => {
  const client = connect();
  client.onAny((id, data) => window.received.push({ id, data }));
  client.handle('echo', (value) => value);
  window.client = client;
  window.opened = client.ready.then(() => client.send('hello', 'first message'));
  return port;
};
</script></body></html>`;

const HOSTILE_ID = '<img src=x onerror="window.pwned=1">';

let browser: Browser;
let wv: WebView;
let inspector: Inspector;
let webPage: BrowserPage;
let hostPage: Page;
let observers = 0;
let inspectorPage: BrowserPage | undefined;

/** Counts the observers added to `host` and not yet removed. */
function countObservers(host: WebView, count: (delta: number) => void): void {
  const observe = host.observe.bind(host);
  host.observe = (observer) => {
    count(1);
    const stop = observe(observer);
    return () => {
      count(-1);
      stop();
    };
  };
}

beforeAll(async () => {
  browser = await launchChromium();
  // One host for the whole file (startHost's would close after each test).
  wv = new WebView();
  await wv.setEnableWebSocket(0);
  countObservers(wv, (delta) => (observers += delta));
  wv.setHtmlContent(PAGE);
  wv.retain('state');
  wv.retain('title');
  wv.bindCallback('double', (args) => Number(args[0]) * 2);
  const heard: string[] = [];
  wv.setWebSocketCallback((_data, _page, id) => void heard.push(String(id)));
  inspector = attachInspector(wv, { updateRate: 20 });
  // All of this happens before any inspector page is open. A call stored while no page is there (as
  // the stand-in's initWebSocket) crosses no socket: the page runs it from its bridge script.
  void wv.evaluate('theme', "document.documentElement.dataset.theme = 'dark'");
  webPage = await (await browser.newContext()).newPage();
  const connected = nextEvent(wv, 'connect');
  await webPage.goto(wv.url!);
  hostPage = ((await connected) as [Page])[0];
  await webPage.waitForFunction(() => typeof (window as unknown as { initWebSocket?: unknown }).initWebSocket === 'function');
  const [init] = await wv.callFunction('initWebSocket', wv.port);
  expect(init).toEqual({ status: 'fulfilled', value: wv.port });
  await webPage.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
  wv.send('title', 'Synth One');
  await until(() => heard.includes('hello'), 20_000, 'the first message');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await wv?.close();
});

async function openInspector(url = inspector.url!): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('#status.open').waitFor({ timeout: 20_000 });
  expect(errors).toEqual([]);
  return page;
}

/** The data column of the log rows of `id`, in order. */
function logTexts(page: BrowserPage, id: string): Promise<string[]> {
  return page.locator(`#log-rows tr[data-log-id="${id}"] td:nth-child(5)`).allTextContents();
}

describe('inspector page', { timeout: 90_000 }, () => {
  it("opened after a page connected and sent, shows that traffic: the page's connect and first message, the initWebSocket call, the retained title", async () => {
    inspectorPage = await openInspector();
    const page = inspectorPage;
    await expect.poll(() => logTexts(page, 'hello'), { timeout: 20_000 }).toEqual(['"first message"']);
    expect(await page.locator('#log-rows tr[data-log-id="hello"] td:nth-child(2)').textContent()).toBe('←');
    expect(await logTexts(page, 'title')).toEqual(['"Synth One"']);
    expect((await logTexts(page, 'connect'))[0]).toContain(`page ${hostPage.id} from ${new URL(wv.url!).origin}`);
    const init = page.locator('tr[data-call="initWebSocket"]');
    await expect.poll(() => init.count(), { timeout: 20_000 }).toBe(1);
    expect(await init.textContent()).toContain(`callFunction`);
    expect(await init.locator('td').nth(3).textContent()).toBe(`initWebSocket(${wv.port})`);
    expect(await init.locator('td').last().textContent()).toBe(String(wv.port));
    expect(await page.locator('tr[data-retained="title"]').textContent()).toContain('Synth One');
    // Stored calls: the evaluate made before the page loaded, and the initWebSocket call (both replayed by a page that loads).
    expect(await page.locator('tr[data-stored="theme"]').textContent()).toBe("evaluatethemedocument.documentElement.dataset.theme = 'dark'");
    expect(await page.locator('tr[data-stored="initWebSocket"] td').last().textContent()).toBe(`initWebSocket(${wv.port})`);
    expect(await webPage.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // What came first is shown first: the connect, then the call, the hello, the title.
    const order = await page.locator('#log-rows tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-log-id')));
    expect(order.filter((id) => id === 'connect' || id === 'hello' || id === 'title')).toEqual(['connect', 'hello', 'title']);
  });

  it("hides the bridge's own calls ($sync) and messages by default; the filter shows them", async () => {
    const page = inspectorPage!;
    const sync = page.locator('tr[data-call="$sync"]');
    await expect.poll(() => page.locator('tr[data-call="initWebSocket"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await sync.count()).toBe(0);
    await page.locator('#show-internal').check();
    await expect.poll(() => sync.count(), { timeout: 20_000 }).toBe(1);
    expect(await sync.textContent()).toContain('page → host');
    expect(await sync.locator('td').nth(2).textContent()).toBe('bridge');
    await page.locator('#show-internal').uncheck();
    await expect.poll(() => sync.count(), { timeout: 20_000 }).toBe(0);
  });

  it('observes from attach on (history), one observer whatever inspector pages come and go; without history only while one is open', async () => {
    expect(observers).toBe(1); // since attachInspector, before any inspector page opened
    expect(inspector.observing).toBe(true);
    // Not a page of the host: the web page is the only one.
    expect(wv.pages).toEqual([hostPage]);
    const second = await openInspector();
    expect(observers).toBe(1);
    await second.context().close();
    await until(() => inspector.connected === 1, 20_000, 'second inspector gone');
    expect(inspector.observing).toBe(true);
    expect(observers).toBe(1);

    const other = new WebView();
    try {
      await other.setEnableWebSocket(0);
      let otherObservers = 0;
      countObservers(other, (delta) => (otherObservers += delta));
      const live = attachInspector(other, { history: false, updateRate: 20 });
      expect(live.observing).toBe(false);
      expect(otherObservers).toBe(0);
      const opened = await openInspector(live.url!);
      await until(() => live.observing, 20_000, 'observing');
      expect(otherObservers).toBe(1);
      await opened.context().close();
      await until(() => !live.observing, 20_000, 'observer removed');
      expect(otherObservers).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('continues from its history into live traffic with nothing twice and nothing lost', async () => {
    let n = 0;
    const timer = setInterval(() => {
      if (n < 240) wv.send('tick', n++);
    }, 4);
    let late: BrowserPage | undefined;
    try {
      await until(() => n >= 60, 20_000, 'ticks before');
      late = await openInspector(); // while ticks flow: some are history, the rest live
      await until(() => n === 240, 20_000, 'ticks after');
      const expected = Array.from({ length: 240 }, (_, i) => String(i));
      await late.locator('#log-id').fill('tick');
      await expect.poll(() => logTexts(late!, 'tick'), { timeout: 20_000 }).toEqual(expected);
      expect(await late.locator('#log-rows tr.note').count()).toBe(0); // no gap marker
      expect(await logTexts(inspectorPage!, 'tick')).toEqual(expected); // the page open all along saw the same
    } finally {
      clearInterval(timer);
      await late?.context().close();
    }
  });

  it('fills in what its snapshots did not carry: a burst of more entries than a snapshot holds shows whole, no gap', async () => {
    const page = inspectorPage!;
    const count = LOG_ENTRIES_PER_SNAPSHOT + 250;
    for (let i = 0; i < count; i++) wv.send('burst', i); // in one go: the next snapshot carries only the newest
    await page.locator('#log-id').fill('burst');
    try {
      await expect.poll(() => logTexts(page, 'burst'), { timeout: 20_000 }).toEqual(Array.from({ length: count }, (_, i) => String(i)));
      expect(await page.locator('#log-rows tr.note').count()).toBe(0);
    } finally {
      await page.locator('#log-id').fill('');
    }
  });

  it('shows a 60 fps stream as one rate line in the log (frames/s, bytes/s, the newest frame), expandable into its frames', async () => {
    const page = inspectorPage!;
    await page.locator('#log-id').fill('meter');
    let sent = 0;
    const timer = setInterval(() => {
      sent++;
      wv.send('meter', Float32Array.from({ length: 256 }, (_, i) => Math.sin(sent / 4 + i / 20)));
    }, 1000 / 60);
    try {
      const line = page.locator('#log-rows tr.rate-line[data-log-id="meter"]');
      await expect.poll(() => line.locator('.rate').getAttribute('data-live'), { timeout: 20_000 }).toBe('true');
      await expect.poll(() => page.locator('#log-rows tr[data-log-id="meter"]').count(), { timeout: 20_000 }).toBe(1);
      // Live from its first frame; its rate once a rate window (1 s) has passed.
      const rate = async (): Promise<number> => Number(/^([\d.]+) frames\/s/.exec((await line.locator('.rate').textContent()) ?? '')?.[1] ?? 0);
      await expect.poll(rate, { timeout: 20_000 }).toBeGreaterThan(5);
      expect(await line.locator('.rate').textContent()).toMatch(/^[\d.]+ frames\/s · [\d.]+ (KiB|B)\/s · \d+ frames, .* · Float32Array\(256\)$/);
      expect(await line.locator('canvas.scope').count()).toBe(1);
      await line.locator('button.expand').click();
      const frames = page.locator('#log-rows tr.frame-row[data-log-id="meter"]');
      await expect.poll(() => frames.count(), { timeout: 20_000 }).toBeGreaterThan(5);
      expect(await frames.count()).toBeLessThanOrEqual(RECENT_FRAMES);
      expect(await frames.first().locator('td').nth(4).textContent()).toMatch(/^frame · 1\.0 KiB/);
      await line.locator('button.expand').click();
      await expect.poll(() => frames.count(), { timeout: 20_000 }).toBe(0);
      clearInterval(timer);
      // Stopped: every frame is counted in the one line.
      await expect.poll(() => line.locator('.rate').getAttribute('data-frames'), { timeout: 20_000 }).toBe(String(sent));
      expect(await page.locator('#log-rows tr[data-log-id="meter"]').count()).toBe(1);
    } finally {
      clearInterval(timer);
      await page.locator('#log-id').fill('');
    }
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
    await expect.poll(() => page.locator('#log-rows tr[data-log-id]').count(), { timeout: 20_000 }).toBe(1);
    await page.locator('#log-pause').click();
    const kept = async (): Promise<number> => Number(/paused \((\d+) kept\)/.exec((await page.locator('#log-count').textContent()) ?? '')?.[1]);
    const before = await kept();
    wv.send('fromInspector', 'while paused');
    // While paused the log is not redrawn (the entry is kept); resumed, it shows.
    await expect.poll(kept, { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await page.locator('#log-rows tr[data-log-id]').count()).toBe(1);
    await page.locator('#log-pause').click();
    await expect.poll(() => page.locator('#log-rows tr[data-log-id]').count(), { timeout: 20_000 }).toBe(2);
    // Cleared entries stay cleared, though the next snapshots still carry them.
    await page.locator('#log-clear').click();
    expect(await page.locator('#log-rows tr[data-log-id]').count()).toBe(0);
    wv.send('fromInspector', 'after clear');
    await expect.poll(() => logTexts(page, 'fromInspector'), { timeout: 20_000 }).toEqual(['"after clear"']);
    await page.locator('#log-id').fill('');
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
