#!/usr/bin/env node
// Regenerates docs/phone.png: runs the demo with --lan on 127.0.0.2 (loopback: nothing leaves the
// machine; its devices in a temporary directory), pairs a 390×844 touch page by the printed QR URL
// and screenshots it once live data flows. Run: node scripts/screenshot-phone.mjs [--out path] [--scale 2]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium-flags.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const TIMEOUT_MS = 15_000;
/** Showcase second at which the shot is taken (as scripts/screenshot-demo.mjs). */
const SHOT_AT_SECONDS = 5.2;

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/phone.png' }, scale: { type: 'string', default: '1' } } });
const config = await mkdtemp(join(tmpdir(), 'hise-phone-shot-'));
const demo = spawn(process.execPath, ['examples/demo/demo.mjs', '--port', '0', '--lan', '--lan-host', '127.0.0.2'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, XDG_CONFIG_HOME: config },
});
let browser;
try {
  const url = await pairingUrl(demo);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
  const page = await browser.newPage({ ...PHONE, deviceScaleFactor: Number(values.scale) });
  await page.goto(url);
  await page.waitForFunction(() => window.demo?.server?.connected && window.demo.knob, null, { timeout: TIMEOUT_MS });
  await page.evaluate((s) => window.demo.send('seek', s), SHOT_AT_SECONDS - 1);
  await page.waitForFunction((s) => window.demo.latest.meters?.[1] >= s, SHOT_AT_SECONDS, { timeout: TIMEOUT_MS });
  await page.screenshot({ path: values.out });
  console.log(`wrote ${values.out}`);
} finally {
  await browser?.close();
  demo.kill('SIGTERM');
  await rm(config, { recursive: true, force: true });
}

/** The pairing URL the demo prints under its QR code. */
async function pairingUrl(child) {
  const lines = createInterface({ input: child.stdout });
  const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
  try {
    for await (const line of lines) {
      const match = /or open (http:\/\/\S+)/.exec(line);
      if (match) return match[1];
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error('the demo exited without printing a pairing URL');
}
