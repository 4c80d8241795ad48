import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startDemo, type DemoProcess } from './demo-process.js';

const WAIT_MS = 15_000;
/** Short files, so the whole file plays (and loops) in well under a second. */
const FRAMES = 7_000;

/** Known integer samples per channel: the extremes first, then a pattern that visits the whole range. */
function knownInts(bits: 16 | 24, channel: number): Int32Array {
  const full = 2 ** (bits - 1);
  const out = new Int32Array(FRAMES);
  out.set(channel === 0 ? [-full, full - 1, 0, 1, -1] : [full - 1, -full, -1, 0, 1]);
  const stride = channel === 0 ? 7919 : 104_729;
  for (let i = 5; i < FRAMES; i++) out[i] = ((i * stride * (bits === 24 ? 257 : 1)) % (2 * full)) - full;
  return out;
}

/** A PCM WAV written byte by byte here, independent of the decoder the demo uses. */
function pcmWav(bits: 16 | 24, sampleRate: number, channels: Int32Array[]): Buffer {
  const bytesPerSample = bits / 8;
  const blockAlign = bytesPerSample * channels.length;
  const dataBytes = FRAMES * blockAlign;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(channels.length, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * blockAlign, 28);
  wav.writeUInt16LE(blockAlign, 32);
  wav.writeUInt16LE(bits, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < FRAMES; i++) {
    for (const channel of channels) {
      wav.writeIntLE(channel[i]!, offset, bytesPerSample);
      offset += bytesPerSample;
    }
  }
  return wav;
}

interface ReceivedBlock {
  start: number;
  left: number[];
  right: number[];
}

describe('--file: decoded samples reach the page unchanged', () => {
  let dir: string;
  let browser: Browser;
  const demos: DemoProcess[] = [];

  beforeAll(async () => {
    [dir, browser] = await Promise.all([mkdtemp(join(tmpdir(), 'hise-demo-wav-')), launchChromium(['--autoplay-policy=no-user-gesture-required'])]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(demos.map((demo) => demo.stop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    { bits: 16 as const, sampleRate: 48_000 },
    { bits: 24 as const, sampleRate: 44_100 },
  ])('$bits-bit stereo at $sampleRate Hz', async ({ bits, sampleRate }) => {
    const ints = [knownInts(bits, 0), knownInts(bits, 1)];
    const path = join(dir, `known-${bits}.wav`);
    await writeFile(path, pcmWav(bits, sampleRate, ints));
    const demo = await startDemo(['--port', '0', '--file', path, '--paused']);
    demos.push(demo);

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(demo.pageUrl);
    await page.waitForFunction(() => (window as any).demo?.latest.state, null, { timeout: WAIT_MS, polling: 50 });
    expect(await page.evaluate(() => (window as any).demo.latest.state)).toMatchObject({ sampleRate, playing: false, signal: 'file' });

    // Collect what the page's listener receives (a modern client subscribed to the audio stream),
    // keyed by each block's start frame, which arrives as meta.samplePosition (fresh streams).
    await page.evaluate((frames) => {
      const collected: { start: number; left: number[]; right: number[] }[] = [];
      const covered = new Uint8Array(frames);
      (window as any).collected = collected;
      (window as any).coveredFrames = () => covered.reduce((a, b) => a + b, 0);
      (window as any).demo.onAudio = ({ start, left, right }: { start: number; left: Float32Array; right: Float32Array }) => {
        collected.push({ start, left: Array.from(left), right: Array.from(right) });
        for (let i = 0; i < left.length; i++) covered[(start + i) % frames] = 1;
      };
    }, FRAMES);
    await page.click('#listen'); // the page subscribes to the raw stream, as for listening
    await page.waitForFunction(() => (window as any).demo.latest.state.listeners === 1, null, { timeout: WAIT_MS, polling: 50 });
    await page.click('#play');
    await page.waitForFunction((frames) => (window as any).coveredFrames() === frames, FRAMES, { timeout: WAIT_MS, polling: 50 });

    const blocks = (await page.evaluate(() => (window as any).collected)) as ReceivedBlock[];
    const expected = ints.map((channel) => Array.from(channel, (v) => v / 2 ** (bits - 1)));
    let compared = 0;
    for (const block of blocks) {
      const indices = block.left.map((_, i) => (block.start + i) % FRAMES);
      expect(block.left).toEqual(indices.map((i) => expected[0]![i]));
      expect(block.right).toEqual(indices.map((i) => expected[1]![i]));
      compared += block.left.length;
    }
    expect(compared).toBeGreaterThanOrEqual(FRAMES);
    expect(blocks[0]!.start).toBe(0); // --paused starts at the top of the file
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
