import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HisePacer, type ToHise } from '../../src/host/hise-proxy/pacer.js';

// Issue 22: HISE reads a text frame that follows a binary one in the same ~5 ms read batch as that
// buffer (HISE-BEHAVIOUR.md, "WebSocket"). The proxy holds a page's text message `textGap` ms after a
// binary one, keeping order, with at most `maxBytes` waiting. Fake clock: the timing is exact here.

const TEXT = 0x1;
const BINARY = 0x2;
const message = (opcode: number, size: number): ToHise => ({ opcode, payload: new Uint8Array(size) });

describe('HisePacer', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('a text message waits 20 ms after a binary one; what follows it waits behind it, in order', () => {
    const written: string[] = [];
    const pacer = new HisePacer(20, 1024, (m) => written.push(`${m.opcode === TEXT ? 'text' : 'binary'}:${m.payload.length}`));
    pacer.add(message(TEXT, 1));
    pacer.add(message(BINARY, 8));
    pacer.add(message(TEXT, 2));
    pacer.add(message(BINARY, 16));
    expect(written).toEqual(['text:1', 'binary:8']);
    vi.advanceTimersByTime(19);
    expect(written).toEqual(['text:1', 'binary:8']);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['text:1', 'binary:8', 'text:2', 'binary:16']);
    pacer.add(message(TEXT, 3)); // 20 ms after the binary that just went
    vi.advanceTimersByTime(20);
    expect(written.at(-1)).toBe('text:3');
  });

  it('past maxBytes waiting, add refuses (and keeps nothing); clear forgets what waits', () => {
    const written: number[] = [];
    const pacer = new HisePacer(20, 10, (m) => written.push(m.payload.length));
    pacer.add(message(BINARY, 100)); // goes at once, whatever its size
    expect(pacer.add(message(TEXT, 6))).toBe(true);
    expect(pacer.add(message(TEXT, 5))).toBe(false);
    expect(pacer.add(message(TEXT, 4))).toBe(true);
    pacer.clear();
    vi.advanceTimersByTime(100);
    expect(written).toEqual([100]);
  });
});
