// `npm start -- --lan`: the demo prints a QR code, and a phone-sized page (390 × 844, touch) pairs,
// lays out without sideways scrolling and turns the gain knob with a finger over the LAN. The "LAN"
// is 127.0.0.2 (loopback only); the demo keeps its devices in a temporary directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startDemo } from './demo-process.js';

const WAIT_MS = 15_000;

it('npm start -- --lan prints a QR code; a 390 × 844 touch page pairs, fits, and a finger drag on the knob sets the gain', async () => {
  const config = await mkdtemp(join(tmpdir(), 'hise-demo-lan-'));
  const demo = await startDemo(['--port', '0', '--lan', '--lan-host', '127.0.0.2'], { XDG_CONFIG_HOME: config });
  const browser = await launchChromium();
  try {
    await expect.poll(() => demo.output.some((line) => /or open http:\/\/127\.0\.0\.2:\d+\/__hise-webview\/lan\/pair#code=/.test(line)), { timeout: WAIT_MS }).toBe(true);
    expect(demo.output.some((line) => /^█+$/.test(line))).toBe(true); // the QR code
    const url = /or open (\S+)/.exec(demo.output.find((line) => line.includes('or open'))!)![1]!;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    await page.goto(url);
    await page.waitForFunction(() => (window as any).demo?.server?.connected && (window as any).demo.knob?.gain.value === 0, null, { timeout: WAIT_MS });
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const knob = (await page.locator('#gain-knob').boundingBox())!;
    expect(knob.width).toBeGreaterThanOrEqual(44); // a finger's target
    // A real touch drag (pointer events of type touch): 100 px down is half the knob's 200 px range.
    const cdp = await page.context().newCDPSession(page);
    const x = knob.x + knob.width / 2;
    const y = knob.y + knob.height / 2;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let step = 1; step <= 4; step++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + step * 25 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForFunction(() => (window as any).demo.latest.state?.gainDb === -36, null, { timeout: WAIT_MS });
  } finally {
    await browser.close();
    await demo.stop();
    await rm(config, { recursive: true, force: true });
  }
}, 60_000);
