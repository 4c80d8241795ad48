import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Parameter, ParameterGesture, ParameterValue } from '../../src/host/index.js';
import { createTestHost, expectAccessible, expectAccessibleNode, type TestHost } from '../../src/testing/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { until } from '../helpers/node-client.js';
import type { TestApp } from './apps/contract.js';
import type { Instruments } from './apps/instrument.js';
import { bundleApps, FRAMEWORKS } from './bundle-apps.js';

// hise-webview/react, /vue and /svelte in Chromium (issue 25): the same app written with each
// (test/bindings/apps), bundled once with esbuild, served by one test host. Per framework: a drag and
// a run of keys each reach the host as one gesture, a host change re-renders the control, 60 frames
// a second of a stream re-render nothing (counted), calls, messages, the connection; the knob, the
// choice and the switch as the accessibility tree has them, axe-core finds nothing; and unmounting
// ends an open gesture and leaves no listener on the client (counted).

let dir: string;
let host: TestHost<TestApp>;
let browser: Browser;
let params: { gain: Parameter<number>; mode: Parameter<'sine' | 'saw' | 'noise'>; bypass: Parameter<boolean> };
const gestures: { id: string; phase: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-bindings-'));
  [, host, browser] = await Promise.all([bundleApps(dir), createTestHost<TestApp>({ root: dir }), launchChromium()]);
  const wv = host.webView;
  params = {
    gain: wv.parameter('gain', { min: -60, max: 12, default: 0, step: 0.1, unit: 'dB', label: 'Gain', format: (v: number) => `${v.toFixed(1)} dB` }),
    mode: wv.parameter('mode', { choices: ['sine', 'saw', 'noise'], default: 'sine', label: 'Mode' }),
    bypass: wv.parameter('bypass', { type: 'boolean', default: false, label: 'Bypass' }),
  };
  for (const [id, parameter] of Object.entries(params)) {
    (parameter as Parameter<ParameterValue>).on('gesture', (gesture: ParameterGesture<ParameterValue>) => gestures.push({ id, phase: gesture.phase }));
  }
  host.answer('ping', (n) => n * 2);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

type Win = Window & { app: Instruments };
const app = (page: BrowserPage): Promise<{ renders: Record<string, number>; frames: number; live: number }> =>
  page.evaluate(() => {
    const { renders, frames, live } = (window as unknown as Win).app;
    return { renders: { ...renders }, frames, live: live() };
  });

/** Waits for the host to see the end of one more gesture on `id` than `before` counted. */
async function nextGestureEnd(id: string, before: number): Promise<void> {
  await until(() => gestures.filter((g) => g.id === id && g.phase === 'end').length > before);
}
const ends = (id: string): number => gestures.filter((g) => g.id === id && g.phase === 'end').length;
const starts = (id: string): number => gestures.filter((g) => g.id === id && g.phase === 'start').length;

describe.each(FRAMEWORKS)('hise-webview/%s', (framework) => {
  let context: BrowserContext;
  let page: BrowserPage;
  afterAll(() => context?.close());

  it('renders the parameters, and a drag and a run of keys each reach the host as one gesture', async () => {
    params.gain.set(0);
    params.mode.set('sine');
    params.bypass.set(false);
    context = await browser.newContext();
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${host.url}${framework}.html`);
    await page.evaluate(() => (window as unknown as Win).app.opened);
    await page.waitForFunction(() => document.querySelector('#knob')?.getAttribute('aria-valuetext') === '0.0 dB');

    const box = (await page.locator('#knob').boundingBox())!;
    const [startsBefore, endsBefore] = [starts('gain'), ends('gain')];
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 40, { steps: 4 });
    await page.mouse.up();
    await nextGestureEnd('gain', endsBefore);
    expect([starts('gain') - startsBefore, ends('gain') - endsBefore]).toEqual([1, 1]);
    const dragged = params.gain.value;
    expect(dragged).toBeGreaterThan(0);

    await page.focus('#knob');
    // A run of keys (one gesture): pressed in one task, as a held key repeats, so that a loaded machine's
    // round trips between presses cannot outlast the quiet spell that ends a run.
    await pressRun(page, ['ArrowDown', 'ArrowDown', 'Shift+ArrowDown']); // Shift: a fine step, the spec's own 0.1 dB
    await nextGestureEnd('gain', endsBefore + 1);
    expect([starts('gain') - startsBefore, ends('gain') - endsBefore]).toEqual([2, 2]);
    expect(params.gain.value).toBeCloseTo(dragged - 2 * 0.72 - 0.1, 0); // arrows: 1/100 of the 72 dB range each, quantised to 0.1
    expect(errors).toEqual([]);
  });

  it('re-renders on a host change; the knob, the choice and the switch read right in the accessibility tree; axe finds nothing', async () => {
    const before = (await app(page)).renders.knob!;
    params.gain.set(-6);
    params.mode.set('saw');
    await page.waitForFunction(() => document.querySelector('#knob')?.getAttribute('data-value') === '-6');
    expect(await page.textContent('#knob')).toBe('-6.0 dB');
    expect((await app(page)).renders.knob).toBeGreaterThan(before);
    await page.waitForFunction(() => document.querySelector('[role=radio][aria-checked=true]')?.textContent === 'saw');

    // The host's change is announced (a polite live region), once the run of changes is quiet.
    await page.waitForFunction(() => document.getElementById('hise-webview-announcer')?.textContent === 'Mode: saw');
    expect(await page.getAttribute('#hise-webview-announcer', 'aria-live')).toBe('polite');

    // The radio group: arrows move the choice, a run of them one gesture.
    const modeEnds = ends('mode');
    await page.focus('[role=radio][aria-checked=true]');
    await pressRun(page, ['ArrowRight', 'ArrowLeft', 'End'])
    await nextGestureEnd('mode', modeEnds);
    expect(params.mode.value).toBe('noise');
    expect(ends('mode') - modeEnds).toBe(1);
    await page.waitForFunction(() => document.activeElement?.textContent === 'noise');

    await page.click('#bypass');
    await until(() => params.bypass.value === true);
    expect(gestures.filter((g) => g.id === 'bypass').map((g) => g.phase)).toEqual(expect.arrayContaining(['start', 'end']));
    await page.waitForFunction(() => document.querySelector('#bypass')?.getAttribute('aria-checked') === 'true');

    console.log(await page.evaluate(() => document.querySelector('#knob')!.outerHTML));
    await expectAccessibleNode(page, { role: 'slider', name: 'Gain', value: '-6.0 dB', properties: { valuemin: -60, valuemax: 12 } });
    await expectAccessibleNode(page, { role: 'radiogroup', name: 'Mode' });
    await expectAccessibleNode(page, { role: 'radio', name: 'noise', properties: { checked: 'true' } });
    await expectAccessibleNode(page, { role: 'switch', name: 'Bypass', properties: { checked: 'true' } });
    await expect(expectAccessibleNode(page, { role: 'slider', name: 'Gain', value: '+3.0 dB' })).rejects.toMatchObject({ code: 'NO_SUCH_NODE' });
    await expectAccessible(page);
    // And what a violation looks like: the rule, and the selector of the element breaking it.
    await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<div id="unnamed" role="slider" tabindex="0"></div>'));
    const refused = await expectAccessible(page).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'NOT_ACCESSIBLE', violations: expect.arrayContaining([expect.objectContaining({ targets: ['#unnamed'] })]) });
    expect(String((refused as Error).message)).toContain('#unnamed');
    await page.evaluate(() => document.getElementById('unnamed')!.remove());
  });

  it('60 frames a second of a stream re-render no component; latest values, calls, messages and the connection reach the page', async () => {
    const before = await app(page);
    await new Promise<void>((resolve) => {
      let sent = 0;
      const timer = setInterval(() => {
        host.send('level', new Float32Array([sent / 60]));
        if (++sent === 60) {
          clearInterval(timer);
          resolve();
        }
      }, 1000 / 60);
    });
    await page.waitForFunction((frames) => (window as unknown as Win).app.frames >= frames + 60, before.frames);
    expect((await app(page)).renders).toEqual(before.renders);

    host.send('status', 'all good');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'all good');
    expect(await page.textContent('#connection')).toBe('open');
    await page.click('#ping');
    await page.waitForFunction(() => document.querySelector('#answer')?.textContent === '4');
    const note = host.nextMessage('note');
    await page.click('#note');
    expect(await note).toBe('hello');
  });

  it('unmounting ends an open gesture and leaves no listener on the client', async () => {
    expect((await app(page)).live).toBeGreaterThan(0);
    const endsBefore = ends('gain');
    await page.click('#knob', { button: 'right' }); // the app opens a gesture on a context menu
    await until(() => starts('gain') > endsBefore + 0 && params.gain.value === -6 && starts('gain') > ends('gain'));
    await page.evaluate(() => (window as unknown as Win).app.unmount());
    await nextGestureEnd('gain', endsBefore);
    await page.waitForFunction(() => (window as unknown as Win).app.live() === 0);
    expect(await page.locator('#knob').count()).toBe(0);
  });
});

/**
 * Presses `keys` (`Shift+` allowed) on the focused element one after another in one task: a run of
 * presses, the way a held key repeats (a press each few tens of ms), whatever the machine's load.
 */
async function pressRun(page: BrowserPage, keys: string[]): Promise<void> {
  await page.evaluate((keys) => {
    for (const combo of keys) {
      const key = combo.replace(/^Shift\+/, '');
      const target = document.activeElement ?? document.body;
      target.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey: combo.startsWith('Shift+'), bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
    }
  }, keys);
}
