import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startCli, type CliProcess } from './cli-process.js';

// `hise-webview serve --inspect` as a user runs it: it prints the inspector's URL, and that page
// shows the stand-in host's test signal streaming.

let browser: Browser;
let dir: string;
let cli: CliProcess | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-cli-inspect-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await cli?.stop();
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

it('serve --inspect prints the inspector URL, which shows the streaming signal', async () => {
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head></head><body><script src="/hisewebsocket-min.js"></script><script>new HiseWebSocketServer(Number(location.port));</script></body></html>');
  cli = await startCli(['serve', dir, '--port', '0', '--inspect', '--signal', 'sine:scope', '--rate', '30']);
  const line = await cli.waitForLine(/inspector at http:\/\//);
  const url = /inspector at (http:\/\/\S+)/.exec(line)![1]!;
  expect(url).toMatch(/\/__hise-webview\/inspector\/#token=.{20,}/);
  const page = await (await browser.newContext()).newPage();
  await page.goto(cli.url);
  const inspector = await (await browser.newContext()).newPage();
  await inspector.goto(url);
  await inspector.locator('tr[data-stream="scope"] canvas.scope').waitFor({ timeout: 20_000 });
  await expect.poll(() => inspector.locator('tr[data-page]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
}, 60_000);
