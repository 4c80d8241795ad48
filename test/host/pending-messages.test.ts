import { describe, expect, it } from 'vitest';
import { PendingMessages } from '../../src/host/delivery/pending-messages.js';

// What the host holds for a page that is not there yet: the latest message per id, bounded by ids.

describe('PendingMessages', () => {
  it("'first-queued' (the host's pre-connect queue, HISE's order): a newer message keeps its id's first place", () => {
    const held = new PendingMessages<string>(8);
    for (const [id, frame] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2']]) held.hold(id!, frame!);
    expect(held.take()).toEqual(['a2', 'b1']);
    expect(held.size).toBe(0);
  });

  it("'latest-last' (a tab waiting for its client): a newer message moves its id behind the others", () => {
    const held = new PendingMessages<string>(8, 'latest-last');
    for (const [id, frame] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2']]) held.hold(id!, frame!);
    expect(held.take()).toEqual(['b1', 'a2']);
  });

  it('refuses a new id past the bound and keeps nothing of it; known ids are still replaced', () => {
    for (const order of ['first-queued', 'latest-last'] as const) {
      const held = new PendingMessages<string>(2, order);
      expect([held.hold('a', 'a1'), held.hold('b', 'b1'), held.hold('c', 'c1'), held.hold('a', 'a2')]).toEqual([true, true, false, true]);
      expect(held.take().sort()).toEqual(['a2', 'b1']);
    }
  });
});
