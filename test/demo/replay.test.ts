import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecording, type RecordedEvent } from '../../src/host/index.js';
import { startCli, type CliProcess } from '../cli/cli-process.js';
import { launchChromium } from '../helpers/chromium.js';
import { until } from '../helpers/node-client.js';
import { CANVASES, canvasPrints } from './canvas-prints.js';
import { startDemo, type DemoProcess } from './demo-process.js';

const WAIT_MS = 15_000;
const POLL_MS = 20;
/** Display frames to record: a few seconds of the demo's 60 Hz. */
const RECORDED_FRAMES = 40;

const received = (page: Page): Promise<number> => page.evaluate(() => (window as any).demo.stats.received as number);
async function waitForFrames(page: Page, count: number): Promise<void> {
  const start = await received(page);
  await page.waitForFunction((n) => (window as any).demo.stats.received >= n, start + count, { timeout: WAIT_MS, polling: POLL_MS });
}
const openDemo = async (browser: Browser, url: string): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForFunction(() => (window as any).demo?.server?.connected && typeof (window as any).hostInfo === 'function', null, { timeout: WAIT_MS, polling: POLL_MS });
  return page;
};

// Record → replay: a live demo session (`npm start -- --record`) played back by `hise-webview serve --replay`, with no host.
describe('record a live demo session, replay it to a page in Chromium', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hwv-demo-')), 'demo.hwvrec');
  let browser: Browser;
  let demo: DemoProcess | undefined;
  let cli: CliProcess | undefined;
  let liveInfo: unknown;
  let events: RecordedEvent[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(['--port', '0', '--record', file, '--quiet']), launchChromium()]);
    const live = await openDemo(browser, demo.pageUrl);
    live.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForFrames(live, RECORDED_FRAMES);
    // The gain knob turned to -12 dB in one gesture: the recording keeps it, the replay turns it again.
    await live.waitForFunction(() => (window as any).demo.knob?.gain.spec !== undefined, null, { timeout: WAIT_MS, polling: POLL_MS });
    await live.evaluate(() => {
      const { gain } = (window as any).demo.knob;
      gain.begin();
      gain.set(-12);
      gain.end();
    });
    await until(() => readRecording(readFileSync(file)).events.some((e) => e.kind === 'change' && e.id === 'gain' && e.value === -12), WAIT_MS, 'the recorded knob change');
    liveInfo = await live.evaluate(() => (window as any).hostInfo());
    await live.close();
    await demo.stop();
    demo = undefined;
    events = readRecording(readFileSync(file), { allowTruncated: false }).events;
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    await cli?.stop();
  });

  it('the recording holds the streams as float32, the state as JSON text, and the bound call with its result', () => {
    const sends = events.filter((e): e is Extract<RecordedEvent, { kind: 'send' }> => e.kind === 'send');
    for (const id of ['0', '1', '2', '3']) {
      const frames = sends.filter((e) => e.id === id);
      expect(frames.length, `buffer ${id}`).toBeGreaterThanOrEqual(RECORDED_FRAMES / 2);
      expect(frames[0]!.data).toBeInstanceOf(Float32Array);
      expect(frames[0]!.hise).toBe(true);
    }
    expect(sends.find((e) => e.id === 'state')?.data).toMatchObject({ signals: expect.any(Array), blockFrames: 512 });
    const call = events.find((e) => e.kind === 'call' && e.name === 'hostInfo');
    expect(call).toMatchObject({ direction: 'page-to-host', callKind: 'bindCallback', args: [] });
    const settle = events.find((e) => e.kind === 'settle' && e.call === (call as { call: number }).call);
    expect(settle).toMatchObject({ ok: true, value: liveInfo });
    expect(liveInfo).toMatchObject({ sampleRate: 48000, blockFrames: 512 });
    expect(events.filter((e) => e.kind === 'parameter').map((e) => (e as { id: string }).id)).toEqual(['gain', 'signal', 'paused']);
    expect(events.find((e) => e.kind === 'change' && e.id === 'gain')).toMatchObject({ value: -12, source: 'page', inGesture: true, text: '−12.0 dB' });
  });

  it('serve --replay plays it with no host: the canvases move and the bound call answers from the recording', async () => {
    cli = await startCli(['serve', 'examples/demo/public', '--port', '0', '--replay', file]);
    await cli.waitForLine(/replaying \d+ messages, looping; answering bound hostInfo/);
    const page = await openDemo(browser, cli.url);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForFrames(page, 10);
    const before = await canvasPrints(page);
    await waitForFrames(page, 10);
    const after = await canvasPrints(page);
    for (const id of CANVASES) {
      expect(after[id]!.lit, `${id} has drawn pixels`).toBeGreaterThan(500);
      expect(after[id]!.hash, `${id} changed between two looks`).not.toBe(before[id]!.hash);
    }
    expect(await page.evaluate(() => (window as any).hostInfo())).toEqual(liveInfo);
    expect(await page.evaluate(() => (window as any).demo.latest.state?.blockFrames)).toBe(512);
    // The knob works against the replay (its parameter is declared there) and turns as recorded, with the recorded text.
    await page.waitForFunction(() => (window as any).demo.knob?.gain.value === -12, null, { timeout: WAIT_MS, polling: POLL_MS });
    await expect.poll(() => page.textContent('#knob-value'), { timeout: WAIT_MS }).toBe('−12.0 dB');
    expect(pageErrors).toEqual([]);
  });
});
