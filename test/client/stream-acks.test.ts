import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamAcks } from '../../src/client/modern/stream-acks.js';
import { decodeFrame, readStreamAck } from '../../src/protocol/index.js';

// The page's acks of consumed stream bytes on a clock the test moves: when they go, and how few.

describe('StreamAcks', () => {
  let sent: number[];
  let acks: StreamAcks;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    sent = [];
    acks = new StreamAcks((frame) => sent.push(readStreamAck(decodeFrame(frame))));
  });
  afterEach(() => {
    acks.stop();
    vi.useRealTimers();
  });

  it('acks at once when half the window is consumed', () => {
    acks.enable(64 * 1024);
    for (let i = 0; i < 3; i++) acks.consumed(10_000);
    expect(sent).toEqual([]);
    acks.consumed(3_000);
    expect(sent).toEqual([33_000]);
  });

  it('acks at half of the window the host says now (StreamWindow), not of the first one', () => {
    acks.enable(64 * 1024);
    acks.resize(1024 * 1024);
    for (let i = 0; i < 15; i++) acks.consumed(33_000); // a burst of frames in one turn: past the first window's half
    expect(sent).toEqual([]);
    acks.consumed(33_000);
    expect(sent).toEqual([16 * 33_000]);
    acks.consumed(100);
    acks.resize(100); // a shrunk window already half consumed: acked at once
    expect(sent).toEqual([16 * 33_000, 16 * 33_000 + 100]);
  });

  it('acks the rest at the end of a burst: once no frame came for a timer tick', () => {
    acks.enable(1024 * 1024);
    acks.consumed(1000);
    acks.consumed(1000);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([2000]);
    vi.advanceTimersByTime(10);
    expect(sent).toEqual([2000]); // nothing new: no empty ack
  });

  it('a burst that goes on is acked within a few ms, not once per frame', () => {
    acks.enable(1024 * 1024);
    for (let step = 0; step < 40; step++) {
      acks.consumed(500); // a frame every half millisecond for 20 ms
      vi.advanceTimersByTime(0.5);
    }
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.length).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(5);
    expect(sent.at(-1)).toBe(20_000);
  });

  it('sends nothing before the host announced fresh streams, nor after stop', () => {
    acks.consumed(50_000);
    vi.advanceTimersByTime(5);
    expect(sent).toEqual([]);
    acks.enable(64 * 1024);
    expect(sent).toEqual([50_000]);
    acks.stop();
    acks.consumed(50_000);
    vi.advanceTimersByTime(5);
    expect(sent).toEqual([50_000]);
  });
});
