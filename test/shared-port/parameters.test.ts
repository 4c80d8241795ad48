import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { freePort, InstanceProcess } from './instance-handle.js';

// Parameters of a joined instance across a hub failover (issue 15 asked that "retained state and
// parameters are re-sent"): a modern page that member B serves reaches B through the hub A's port;
// A is SIGKILLed, B takes the port, the page reconnects and gets B's parameters (spec and current
// value) again, including a change B made while its page was cut off.

const PAGE = (port: number): string => `<!doctype html><html><head><meta charset="utf-8"><script type="module">
  import { connect } from '/hise-webview-client.js';
  const client = connect({ port: ${port}, minReconnectDelay: 50, maxReconnectDelay: 200 });
  window.cutoff = client.parameter('cutoff');
  window.seen = [];
  window.cutoff.subscribe((value, meta) => window.seen.push([value, meta.initial]));
  window.client = client;
</script></head><body>modern</body></html>`;

type PageWindow = { cutoff: { value: unknown; text: string; spec: unknown; begin(): void; set(v: number): void; end(): void }; seen: [unknown, boolean][]; client: { ready: Promise<void> } };

let browser: Browser;
let port: number;
const sharedDirectory = mkdtempSync(join(tmpdir(), 'hise-shared-secret-'));
const root = mkdtempSync(join(tmpdir(), 'hise-shared-root-'));
let a: InstanceProcess;
let b: InstanceProcess;
let page: BrowserPage;

beforeAll(async () => {
  browser = await launchChromium();
  port = await freePort();
  writeFileSync(join(root, 'index.html'), PAGE(port));
  a = new InstanceProcess(port, sharedDirectory);
  expect((await a.started()).role).toBe('hub');
  b = new InstanceProcess(port, sharedDirectory, root);
  const stateB = await b.started();
  expect(stateB.role).toBe('member');
  await b.command('parameter', { id: 'cutoff', spec: { min: 20, max: 20_000, default: 1000, step: 1, unit: 'Hz' } });
  page = await (await browser.newContext()).newPage();
  await page.goto(stateB.url);
  await b.waitFor((e) => e.ev === 'connect', 20_000, 'the modern page at B');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([a, b].map((p) => p?.stop()));
  for (const dir of [root, sharedDirectory]) rmSync(dir, { recursive: true, force: true });
});

describe('parameters across a shared port', { timeout: 90_000 }, () => {
  it("a joined instance's modern page gets its parameters through the hub, and again with the current value after the hub is SIGKILLed", async () => {
    await page.waitForFunction(() => (window as unknown as PageWindow).cutoff.value === 1000, undefined, { timeout: 20_000 });
    // The page drags it: the change reaches B (its instance), not only the hub.
    await page.evaluate(() => {
      const { cutoff } = window as unknown as PageWindow;
      cutoff.begin();
      cutoff.set(1500);
      cutoff.end();
    });
    await expect.poll(() => b.command('parameterValue', { id: 'cutoff' }), { timeout: 20_000 }).toBe(1500);
    expect(await b.command('setParameter', { id: 'cutoff', value: 2000 })).toBe(2000);
    await page.waitForFunction(() => (window as unknown as PageWindow).cutoff.value === 2000, undefined, { timeout: 20_000 });
    const connectsBefore = b.events.filter((e) => e.ev === 'connect').length;

    const exited = new Promise((resolve) => a.child.once('exit', resolve));
    a.kill('SIGKILL');
    await exited;
    // Changed once the page's socket (through A) is gone: usually before the page has reconnected.
    expect(await b.command('setParameter', { id: 'cutoff', value: 3210 })).toBe(3210);
    await b.waitFor((e) => e.ev === 'role' && e.role === 'hub', 20_000, 'B takes the port');
    await b.waitFor(() => b.events.filter((e) => e.ev === 'connect').length > connectsBefore, 20_000, 'the page reconnects to B');
    await page.waitForFunction(() => (window as unknown as PageWindow).cutoff.value === 3210, undefined, { timeout: 20_000 });
    const after = await page.evaluate(() => {
      const { cutoff, seen } = window as unknown as PageWindow;
      return { text: cutoff.text, spec: cutoff.spec, seen };
    });
    console.log(`page saw across the failover: ${JSON.stringify(after.seen)}`);
    expect(after.text).toBe('3210 Hz');
    expect(after.spec).toMatchObject({ type: 'number', min: 20, max: 20_000, unit: 'Hz' });
    expect(after.seen.at(-1)![0]).toBe(3210);
    // The page got B's parameters afresh on reconnecting (initial values), not only as a later change.
    expect(after.seen.filter(([, initial]) => initial)).toHaveLength(2);
    // And the page's own changes reach B after the failover.
    await page.evaluate(() => {
      const { cutoff } = window as unknown as PageWindow;
      cutoff.begin();
      cutoff.set(4000);
      cutoff.end();
    });
    await expect.poll(() => b.command('parameterValue', { id: 'cutoff' }), { timeout: 20_000 }).toBe(4000);
  });
});
