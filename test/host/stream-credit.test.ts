import { describe, expect, it } from 'vitest';
import { StreamCredit } from '../../src/host/delivery/stream-credit.js';

// The credit window alone, on a clock the test moves: exact, no timing.

function credit(latency = 16) {
  let now = 0;
  const c = new StreamCredit({ min: 1000, max: 10_000, latency }, () => now);
  return { c, advance: (ms: number) => (now += ms) };
}

describe('StreamCredit', () => {
  it('holds at most the window in flight; an empty window takes any frame', () => {
    const { c } = credit(0); // a fixed window
    expect(c.allows(5000)).toBe(true); // nothing in flight
    c.spend(5000);
    expect(c.allows(1)).toBe(false);
    expect(c.ack(5000)).toBe(true);
    expect(c.inFlight).toBe(0);
    expect(c.allows(600)).toBe(true);
    c.spend(600);
    expect(c.allows(400)).toBe(true);
    expect(c.allows(401)).toBe(false);
  });

  it('refuses an ack of more than was sent and changes nothing; counts mod 2^32', () => {
    const { c } = credit();
    c.spend(100);
    expect(c.ack(101)).toBe(false);
    expect(c.inFlight).toBe(100);
    expect(c.ack(100)).toBe(true);
    const { c: wrapped } = credit(0);
    for (let i = 0; i < 5; i++) {
      wrapped.spend(2 ** 30);
      expect(wrapped.ack(((i + 1) * 2 ** 30) % 2 ** 32)).toBe(true);
    }
    expect(wrapped.inFlight).toBe(0);
  });

  it('grows while frames wait and the queueing delay is low; shrinks back when it is high', () => {
    const { c, advance } = credit();
    // Round trips of 1 ms with frames always waiting: the window grows towards max.
    let acked = 0;
    for (let i = 0; i < 20; i++) {
      while (c.allows(500)) c.spend(500);
      advance(1);
      acked += c.inFlight;
      c.ack(acked);
    }
    expect(c.window).toBe(10_000);
    // Now the page is slow: each round trip takes 40 ms (39 ms of queueing > 16): back to min.
    for (let i = 0; i < 20; i++) {
      while (c.allows(500)) c.spend(500);
      advance(40);
      acked += c.inFlight;
      c.ack(acked);
    }
    expect(c.window).toBe(1000);
  });

  it('does not grow when nothing waited for credit (the producer, not the window, sets the pace)', () => {
    const { c, advance } = credit();
    let acked = 0;
    for (let i = 0; i < 20; i++) {
      c.spend(100);
      advance(1);
      acked += 100;
      c.ack(acked);
    }
    expect(c.window).toBe(1000);
  });

  it('a refunded frame is no longer in flight', () => {
    const { c } = credit();
    c.spend(400);
    c.spend(400);
    c.refund(400);
    expect(c.inFlight).toBe(400);
    expect(c.ack(400)).toBe(true);
    expect(c.inFlight).toBe(0);
  });
});
