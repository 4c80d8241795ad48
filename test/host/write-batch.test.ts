import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/host/delivery/write-batch.js';

describe('WriteBatch', () => {
  it('corks the socket once per turn and uncorks it on the next tick', async () => {
    const calls: string[] = [];
    const batch = new WriteBatch({ cork: () => calls.push('cork'), uncork: () => calls.push('uncork') });
    batch.writing();
    batch.writing();
    batch.writing();
    expect(calls).toEqual(['cork']);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calls).toEqual(['cork', 'uncork']);
    batch.writing();
    expect(calls).toEqual(['cork', 'uncork', 'cork']);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calls).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });
});
