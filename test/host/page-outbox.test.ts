import { describe, expect, it } from 'vitest';
import type { WireFrame } from '../../src/host/delivery/outbound.js';
import { PageOutbox, type FrameSink } from '../../src/host/delivery/page-outbox.js';

/** A socket stand-in whose buffer only empties when the test says so. */
class ManualSink implements FrameSink {
  bufferedAmount = 0;
  written: string[] = [];
  #pending: { bytes: number; done: (error?: Error) => void }[] = [];
  send(bytes: Uint8Array, done: (error?: Error) => void): void {
    this.written.push(new TextDecoder().decode(bytes));
    this.bufferedAmount += bytes.byteLength;
    this.#pending.push({ bytes: bytes.byteLength, done });
  }
  /** The operating system takes everything buffered. */
  flush(): void {
    for (const { bytes, done } of this.#pending.splice(0)) {
      this.bufferedAmount -= bytes;
      done();
    }
  }
}

const frame = (id: string, kind: 'stream' | 'control', body: string): WireFrame => ({
  id,
  kind,
  bytes: new TextEncoder().encode(`${id}:${body}`),
});

describe('PageOutbox', () => {
  it('writes straight through while the page keeps up', () => {
    const sink = new ManualSink();
    const outbox = new PageOutbox(sink, { highWaterMark: 100, maxQueuedBytes: 1000 }, () => undefined);
    expect(outbox.send(frame('a', 'stream', '1'))).toBe('sent');
    sink.flush();
    expect(outbox.send(frame('a', 'stream', '2'))).toBe('sent');
    expect(sink.written).toEqual(['a:1', 'a:2']);
  });

  it('when congested: streams coalesce to the latest, controls keep order, controls drain first', () => {
    const sink = new ManualSink();
    const outbox = new PageOutbox(sink, { highWaterMark: 10, maxQueuedBytes: 1000 }, () => undefined);
    expect(outbox.send(frame('s', 'stream', 'big-frame-0'))).toBe('sent'); // passes the mark
    expect(outbox.congested).toBe(true);
    expect(outbox.send(frame('s', 'stream', '1'))).toBe('queued');
    expect(outbox.send(frame('c', 'control', 'x'))).toBe('queued');
    expect(outbox.send(frame('s', 'stream', '2'))).toBe('coalesced');
    expect(outbox.send(frame('t', 'stream', '1'))).toBe('queued');
    expect(outbox.send(frame('c', 'control', 'y'))).toBe('queued');
    expect(outbox.send(frame('s', 'stream', '3'))).toBe('coalesced');
    expect(outbox.stats.framesCoalesced).toBe(2);
    expect(outbox.queuedBytes).toBe(3 + 3 + 3 + 3);
    sink.flush();
    // 'c:x' + 'c:y' + 's:3' fill 9 of the 10 bytes; 't:1' would pass the mark, so it waits.
    expect(sink.written).toEqual(['s:big-frame-0', 'c:x', 'c:y', 's:3']);
    sink.flush();
    expect(sink.written).toEqual(['s:big-frame-0', 'c:x', 'c:y', 's:3', 't:1']);
    expect(outbox.congested).toBe(false);
    expect(outbox.queuedBytes).toBe(0);
  });

  it('a stalled page costs at most the mark plus one frame per stream id', () => {
    const sink = new ManualSink();
    const outbox = new PageOutbox(sink, { highWaterMark: 1000, maxQueuedBytes: 1000 }, () => undefined);
    for (let i = 0; i < 10_000; i++) outbox.send(frame(`s${i % 16}`, 'stream', String(i).padStart(96, '0')));
    const frameBytes = 3 + 1 + 96;
    expect(sink.bufferedAmount).toBeLessThanOrEqual(1000); // checked before writing: never past the mark
    expect(outbox.queuedBytes).toBeLessThanOrEqual(16 * (frameBytes + 1));
  });

  it('calls onOverflow instead of queueing control frames past maxQueuedBytes', () => {
    const sink = new ManualSink();
    let overflows = 0;
    const outbox = new PageOutbox(sink, { highWaterMark: 1, maxQueuedBytes: 10 }, () => overflows++);
    outbox.send(frame('c', 'control', 'first'));
    expect(outbox.send(frame('c', 'control', '1234567'))).toBe('queued');
    expect(outbox.send(frame('c', 'control', 'x'))).toBe('overflow');
    expect(overflows).toBe(1);
  });

  it('stays congested while the buffer has not drained below half the mark', () => {
    const sink = new ManualSink();
    const outbox = new PageOutbox(sink, { highWaterMark: 10, maxQueuedBytes: 1000 }, () => undefined);
    outbox.send(frame('s', 'stream', '0123456789'));
    outbox.send(frame('c', 'control', 'x'));
    sink.bufferedAmount += 100; // another writer still fills the socket
    sink.flush();
    expect(outbox.congested).toBe(true);
    expect(sink.written).toEqual(['s:0123456789']);
  });
});
