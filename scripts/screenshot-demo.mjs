#!/usr/bin/env node
// Regenerates docs/demo.png: runs the demo as a user would, lets a second or so of live data flow,
// and screenshots the page at 1280×800. Run: node scripts/screenshot-demo.mjs [--out path] [--scale 2]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium-flags.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };
/** Display frames to wait for before the shot: a second of live data at 60 fps. */
const FRAMES_BEFORE_SHOT = 60;
/** Showcase second at which the shot is taken: chord plus the sweep, the busiest picture. */
const SHOT_AT_SECONDS = 5.2;
const STARTUP_TIMEOUT_MS = 15_000;

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/demo.png' }, scale: { type: 'string', default: '1' } } });
const demo = spawn(process.execPath, ['examples/demo/demo.mjs', '--port', '0', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
let browser;
try {
  const url = await pageUrl(demo);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
  const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: Number(values.scale) });
  await page.goto(url);
  await page.waitForFunction(() => window.demo?.server?.connected, null, { timeout: STARTUP_TIMEOUT_MS });
  await page.evaluate((s) => window.demo.send('seek', s), SHOT_AT_SECONDS - 1);
  await page.waitForFunction((n) => window.demo.stats.received >= n, FRAMES_BEFORE_SHOT, { timeout: STARTUP_TIMEOUT_MS });
  await page.waitForFunction((s) => window.demo.latest.meters?.[1] >= s, SHOT_AT_SECONDS, { timeout: STARTUP_TIMEOUT_MS });
  await mkdir(dirname(values.out), { recursive: true });
  await page.screenshot({ path: values.out });
  console.log(`wrote ${values.out}`);
} finally {
  await browser?.close();
  demo.kill('SIGTERM');
}

/** The page URL the demo prints, or an error with what it printed instead. */
async function pageUrl(child) {
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), STARTUP_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      const match = /page\s+(http:\/\/\S+)/.exec(line);
      if (match) return match[1];
    }
  } finally {
    clearTimeout(timer);
  }
  const [code] = child.exitCode === null ? await once(child, 'exit') : [child.exitCode];
  throw new Error(`the demo exited (${code}) without printing its page URL`);
}
