// `npm test`: the built page (dist/) in Chromium against a test host running host/host.ts. Set
// CHROMIUM_PATH to a Chromium or Chrome (or install one for Playwright: npx playwright install chromium).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestHost, expectAccessible, expectAccessibleNode, type TestHost } from 'hise-webview/testing';
import type { Parameter, ParameterGesture } from 'hise-webview';
import type { App } from '../shared/contract.js';
import host from '../host/host.js';

let testHost: TestHost<App>;
let browser: Browser;
let page: Page;
const stop = new AbortController();
/** Every gesture phase the host saw, per parameter. */
const gestures: Record<string, string[]> = { gain: [], mix: [] };
const param = (id: 'gain' | 'mix') => testHost.webView.parameters.get(id) as Parameter<number>;

/** Resolves once `check()` holds (checked as the host's events come in, and every few ms). */
function until(check: () => boolean, timeout = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (!check() && Date.now() - started < timeout) return;
      clearInterval(poll);
      if (check()) resolve();
      else reject(new Error(`timed out waiting for ${check.toString()}`));
    }, 5);
  });
}

before(async () => {
  testHost = await createTestHost<App>({ root: 'dist' });
  host(testHost.webView, { signal: stop.signal });
  for (const id of ['gain', 'mix'] as const) param(id).on('gesture', (g: ParameterGesture<number>) => gestures[id]!.push(g.phase));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ['--no-sandbox'] });
  page = await browser.newPage();
  await page.goto(testHost.url);
  await page.waitForSelector('#gain-knob[aria-valuetext="-12.0 dB"]');
});
after(async () => {
  await browser?.close();
  stop.abort();
  await testHost?.close();
});

test('a drag on the knob reaches the host as one gesture', async () => {
  const box = (await page.locator('#gain-knob').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 60, { steps: 6 });
  await page.mouse.up();
  await until(() => gestures.gain!.includes('end'));
  assert.deepEqual(gestures.gain, ['start', 'end']);
  assert.ok(param('gain').value > -12, `raised: ${param('gain').value}`);
});

test('a run of keys on the slider reaches the host as one gesture', async () => {
  await page.focus('#mix');
  // Three presses in one task, as a held key repeats: a busy machine's pauses between separate
  // presses could outlast the quiet spell (300 ms) that ends a run.
  await page.evaluate(() => {
    const slider = document.activeElement!;
    for (let i = 0; i < 3; i++) slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
  });
  await until(() => gestures.mix!.includes('end'));
  assert.deepEqual(gestures.mix, ['start', 'end']);
  assert.equal(param('mix').value, 97);
});

test('a change from the host re-renders the controls, and the accessibility tree reads them', async () => {
  param('gain').set(-6);
  await page.waitForSelector('#gain-knob[aria-valuetext="-6.0 dB"]');
  assert.equal(await page.textContent('#gain-value'), '-6.0 dB');
  await expectAccessibleNode(page, { role: 'slider', name: 'Gain', value: '-6.0 dB' });
  await expectAccessibleNode(page, { role: 'slider', name: 'Mix', value: '97 %' });
  await expectAccessible(page);
});

test('60 frames a second of the meter change nothing in the page but its canvas', async () => {
  // (No named functions inside page.evaluate: tsx would wrap them in a helper the page lacks.)
  const start = await page.evaluate(() => {
    const seen: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) if (r.attributeName !== 'data-frames') seen.push(`${r.type} #${(r.target as Element).id} ${r.attributeName ?? ''}`);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    Object.assign(window, { seen, observer });
    return Number(document.getElementById('meter')!.dataset.frames ?? 0);
  });
  await page.waitForFunction((from) => Number(document.getElementById('meter')!.dataset.frames) >= from + 60, start);
  const seen = await page.evaluate(() => {
    const { seen, observer } = window as unknown as { seen: string[]; observer: MutationObserver };
    observer.disconnect();
    return seen;
  });
  assert.deepEqual(seen, []);
});

test('the bound call: Reset asks the host, which resets the parameters', async () => {
  await page.click('#reset');
  await page.waitForSelector('#status:has-text("reset to -12.0 dB, 100 %")');
  await page.waitForSelector('#gain-knob[aria-valuetext="-12.0 dB"]');
});
