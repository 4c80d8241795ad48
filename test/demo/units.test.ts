import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The demo is plain JavaScript; load it by URL so the test project needs no declarations for it.
const load = (path: string): Promise<any> => import(pathToFileURL(`${process.cwd()}/examples/demo/${path}`).href);
const { WaveFile } = (await import('wavefile')).default as any;

function wavBytes(channels: number, rate: number, depth: string, samples: number[] | number[][]): Uint8Array {
  const wav = new WaveFile();
  wav.fromScratch(channels, rate, depth, samples);
  return wav.toBuffer();
}

describe('wav-source: decoding', () => {
  it('scales 32-bit integers by 2^31 and passes 32-bit floats through; mono plays on both sides', async () => {
    const { decodeWav } = await load('wav-source.mjs');
    const int32 = decodeWav(wavBytes(1, 96_000, '32', [-(2 ** 31), 2 ** 31 - 1, 1 << 8, 0]));
    expect(int32.sampleRate).toBe(96_000);
    expect(Array.from(int32.left)).toEqual([-1, Math.fround((2 ** 31 - 1) / 2 ** 31), 2 ** -23, 0]);
    expect(int32.right).toBe(int32.left);
    const float = decodeWav(wavBytes(2, 22_050, '32f', [[0.5, -0.25, 1.5], [-1, 0, 0.125]]));
    expect(Array.from(float.left)).toEqual([0.5, -0.25, 1.5]);
    expect(Array.from(float.right)).toEqual([-1, 0, 0.125]);
  });

  it('refuses what it cannot play, with a WavError', async () => {
    const { decodeWav, WavError } = await load('wav-source.mjs');
    expect(() => decodeWav(wavBytes(3, 48_000, '16', [[1], [2], [3]]), 'x.wav')).toThrow(WavError);
    expect(() => decodeWav(wavBytes(1, 4_000, '16', [1]), 'x.wav')).toThrow(/sample rate 4000 Hz/);
    expect(() => decodeWav(wavBytes(1, 48_000, '16', []), 'x.wav')).toThrow(/no samples/);
  });
});

describe('player and transport', () => {
  it('renders blocks that loop exactly, and silence with -1 while paused', async () => {
    const { Player } = await load('player.mjs');
    const source = { name: 't', sampleRate: 10, left: Float32Array.from([1, 2, 3, 4, 5]), right: Float32Array.from([-1, -2, -3, -4, -5]) };
    const player = new Player(source);
    const [l, r] = [new Float32Array(3), new Float32Array(3)];
    expect(player.render(l, r)).toBe(0);
    expect(player.render(l, r)).toBe(3);
    expect(Array.from(l)).toEqual([4, 5, 1]);
    expect(Array.from(r)).toEqual([-4, -5, -1]);
    player.playing = false;
    expect(player.render(l, r)).toBe(-1);
    expect(Array.from(l)).toEqual([0, 0, 0]);
    player.seek(99);
    expect(player.position).toBe(4);
  });

  it('advances by the clock in whole blocks, one display frame per tick at most, and skips ahead when far behind', async () => {
    const { Transport, MAX_CATCH_UP_BLOCKS } = await load('transport.mjs');
    let now = 0;
    const counts = { blocks: 0, frames: 0 };
    const transport = new Transport({ sampleRate: 48_000, blockFrames: 512, now: () => now, onBlock: () => counts.blocks++, onFrame: () => counts.frames++ });
    transport.start();
    transport.stop(); // drive it by hand
    now = 1000;
    transport.tick();
    expect(counts.blocks).toBe(Math.min(93, MAX_CATCH_UP_BLOCKS));
    for (let t = 1000; t <= 2000; t += 5) {
      now = t;
      transport.tick();
    }
    expect(counts.blocks + transport.blocksSkipped).toBe(Math.floor((2 * 48_000) / 512));
    expect(counts.frames).toBeGreaterThanOrEqual(59);
    expect(counts.frames).toBeLessThanOrEqual(61);
  });

  it('analysis: a full-scale sine reads 0 dBFS in its bin and 1/√2 RMS', async () => {
    const { Analysis } = await load('analysis.mjs');
    const analysis = new Analysis(48_000, 512);
    const block = new Float32Array(512);
    let phase = 0;
    for (let b = 0; b < 40; b++) {
      for (let i = 0; i < 512; i++) block[i] = Math.sin((phase += (2 * Math.PI * 3000) / 48_000));
      analysis.addBlock(block, block);
    }
    analysis.frame(1);
    const bin = 3000 / (48_000 / 4096); // exactly bin 256
    expect(analysis.spectrum[bin]).toBeCloseTo(0, 1);
    expect(analysis.meters[4]).toBeCloseTo(Math.SQRT1_2, 3);
    expect(analysis.meters[2]).toBeCloseTo(1, 3);
  });
});
