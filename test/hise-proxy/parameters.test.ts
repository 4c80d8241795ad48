import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevHost, type DevHost } from '../../src/dev/dev-host.js';
import type { DevLogger } from '../../src/dev/log.js';
import { hiseProxyHost, PROXY_WEBVIEW_OPTIONS } from '../../src/dev/proxy-host.js';
import type { HiseProxy } from '../../src/host/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { startHiseEmulator, type HiseData, type HiseEmulator } from '../helpers/hise-emulator.js';

// Issue 22: HISE-mode parameters that survive HISE (PROTOCOL.md §9 "HISE mode"). The emulated HISE
// runs what docs/PARAMETERS.md's HiseScript does; a 12-parameter preset load (every value changed in
// one ~5 ms cycle) reaches the page through the proxy complete. The first convention (every value
// under one id) loses all but the last, as HISE would.

const quiet: DevLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const IDS = Array.from({ length: 12 }, (_, i) => `p${i}`);

/** docs/PARAMETERS.md's HiseScript, in TypeScript against the emulator: specs in parts, one value id per parameter. */
function runParameterScript(hise: HiseEmulator, values: Record<string, number>): void {
  const specs: Record<string, object[]> = Object.fromEntries(
    IDS.map((id, i) => [id, [{ type: 'number', min: 0, max: 100, default: 0 }, { step: 1, label: `Parameter ${i}`, unit: '%' }]]),
  );
  const sendValue = (id: string, sender: string): void => hise.sendToWebSocket(`hwv:v:${id}`, { v: values[id], s: 'host', c: sender });
  hise.setWebSocketCallback((data: HiseData) => {
    if (typeof data !== 'object' || data instanceof Float32Array || data.hwv !== 'param') return;
    if (data.op === 'sync') {
      for (const id of IDS) {
        sendValue(id, '');
        specs[id]!.forEach((part, k) => hise.sendToWebSocket(`hwv:s${k}/${specs[id]!.length}:${id}`, part));
      }
    } else if (data.op === 'set' && typeof data.id === 'string' && typeof data.v === 'number') {
      values[data.id] = data.v;
      sendValue(data.id, String(data.c));
    }
  });
}

const PAGE = `<!doctype html><html><body><script type="module">
import { connect } from '/hise-webview-client.js';
const client = connect({ port: Number(location.port), extensions: false });
window.client = client;
window.values = () => Object.fromEntries(${JSON.stringify(IDS)}.map((id) => [id, client.parameter(id).value]));
window.ready = Promise.all(${JSON.stringify(IDS)}.map((id) => client.parameter(id).ready));
</script></body></html>`;

let browser: Browser;
let root: string;
let hise: HiseEmulator;
let host: DevHost;
let page: BrowserPage;
const values: Record<string, number> = Object.fromEntries(IDS.map((id) => [id, 10]));

beforeAll(async () => {
  browser = await launchChromium();
  root = await mkdtemp(join(tmpdir(), 'hwv-proxy-params-'));
  await writeFile(join(root, 'index.html'), PAGE);
  hise = await startHiseEmulator();
  runParameterScript(hise, values);
  let proxy!: HiseProxy;
  host = await startDevHost({ root, log: quiet, webView: PROXY_WEBVIEW_OPTIONS, hostFunction: hiseProxyHost(quiet, { port: hise.port }, (p) => (proxy = p)) });
  await proxy.ready;
  page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await page.evaluate(() => (window as unknown as { ready: Promise<unknown> }).ready);
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await hise?.close();
  await rm(root, { recursive: true, force: true });
});

const pageValues = (): Promise<Record<string, number>> => page.evaluate(() => (window as unknown as { values(): Record<string, number> }).values());

describe('HISE-mode parameters through the proxy and the emulated HISE', () => {
  it('the page learns all 12 specs (sent in parts) with their values', async () => {
    expect(await pageValues()).toEqual(values);
    const spec = await page.evaluate(() => (window as unknown as { client: { parameter(id: string): { spec: unknown } } }).client.parameter('p3').spec);
    expect(spec).toMatchObject({ type: 'number', min: 0, max: 100, step: 1, label: 'Parameter 3', unit: '%', skew: 'linear' }); // completed as a host's spec is
  });

  it('a 12-parameter preset load in one cycle arrives complete', async () => {
    const cycle = hise.nextCycle();
    IDS.forEach((id, i) => {
      values[id] = 50 + i;
      hise.sendToWebSocket(`hwv:v:${id}`, { v: values[id], s: 'host', c: '' });
    });
    await cycle;
    await page.waitForFunction((expected) => {
      const now = (window as unknown as { values(): Record<string, number> }).values();
      return Object.entries(expected).every(([id, value]) => now[id] === value);
    }, values);
    expect(await pageValues()).toEqual(values);
  });

  it('the first convention (every value under one id) loses all but the last change of the cycle', async () => {
    const before = await pageValues();
    const cycle = hise.nextCycle();
    IDS.forEach((id, i) => hise.sendToWebSocket('hwv:param-values', { [id]: [80 + i, 'host'] }));
    await cycle;
    hise.sendToWebSocket('hwv:v:p0', { v: 99, s: 'host', c: '' }); // a later cycle: a sentinel
    await page.waitForFunction(() => (window as unknown as { values(): Record<string, number> }).values().p0 === 99);
    const after = await pageValues();
    expect(after.p11).toBe(91);
    expect(IDS.slice(1, 11).filter((id) => after[id] !== before[id])).toEqual([]);
  });

  it("a page's change reaches the script, and a page that opens later learns it", async () => {
    await page.evaluate(() => (window as unknown as { client: { parameter(id: string): { set(v: number): void } } }).client.parameter('p5').set(42));
    await expect.poll(() => values.p5).toBe(42);
    const other = await (await browser.newContext()).newPage();
    await other.goto(host.url);
    await other.evaluate(() => (window as unknown as { ready: Promise<unknown> }).ready);
    expect(await other.evaluate(() => (window as unknown as { values(): Record<string, number> }).values().p5)).toBe(42);
  });
});
