import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import type { HiseWarning } from '../../src/host/hise-strict/warnings.js';
import { launchChromium } from '../helpers/chromium.js';

// Issue 22: HISE-mode parameters that survive HISE, in HISE-strict mode (the host keeps HISE's latest
// message per id per ~5 ms cycle and warns at every message over 125 bytes). A preset load that sets
// 12 parameters at once arrives complete on every page, and no message of the convention is too long
// for HISE (PROTOCOL.md §9 "HISE mode").

const IDS = Array.from({ length: 12 }, (_, i) => `p${i}`);

/** A page in HISE mode (`extensions: false`: HISE's channel only), reporting its parameters' values. */
const PAGE = `<!doctype html><html><body><script type="module">
import { connect } from '/hise-webview-client.js';
const client = connect({ port: Number(new URLSearchParams(location.search).get('port')), extensions: false });
window.values = () => Object.fromEntries(${JSON.stringify(IDS)}.map((id) => [id, client.parameter(id).value]));
window.ready = Promise.all(${JSON.stringify(IDS)}.map((id) => client.parameter(id).ready));
</script></body></html>`;

let browser: Browser;
let context: BrowserContext;
let wv: WebView;
const warnings: HiseWarning[] = [];
const parameters = new Map<string, { set(value: number): void }>();

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext();
  wv = new WebView({ hise: 'strict' });
  wv.on('hise-warning', (warning) => warnings.push(warning));
  wv.setHtmlContent(PAGE);
  for (const [i, id] of IDS.entries()) parameters.set(id, wv.parameter(id, { min: 0, max: 100, default: 10, step: 1, unit: '%', label: `Parameter ${i}` }));
  await wv.setEnableWebSocket(0);
});
afterAll(async () => {
  await browser?.close();
  await wv?.close();
});

describe('HISE-mode parameters in HISE-strict mode', () => {
  it('a 12-parameter preset load arrives complete on every page, each message within what HISE frames correctly', async () => {
    const pages = await Promise.all(
      [0, 1, 2].map(async () => {
        const page = await context.newPage();
        const url = new URL(wv.url!);
        url.searchParams.set('port', String(wv.port));
        await page.goto(url.href);
        await page.waitForFunction(() => typeof (window as unknown as { ready?: unknown }).ready === 'object');
        await page.evaluate(() => (window as unknown as { ready: Promise<unknown> }).ready);
        return page;
      }),
    );
    for (const page of pages) expect(await page.evaluate(() => (window as unknown as { values(): Record<string, number> }).values())).toEqual(Object.fromEntries(IDS.map((id) => [id, 10])));
    // The preset: every parameter changes in one synchronous run, well inside one of HISE's cycles.
    const preset = Object.fromEntries(IDS.map((id, i) => [id, 20 + i * 5]));
    for (const id of IDS) parameters.get(id)!.set(preset[id]!);
    for (const page of pages) {
      await page.waitForFunction((want) => JSON.stringify((window as unknown as { values(): unknown }).values()) === JSON.stringify(want), preset, { timeout: 10_000 });
    }
    expect(warnings.filter((w) => w.code === 'HISE_FRAME_TOO_LONG').map((w) => w.message)).toEqual([]);
  });
});
