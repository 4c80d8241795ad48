import { describe, expectTypeOf, it } from 'vitest';
import type { Contract } from '../../src/host/index.js';
import { createTestHost, type TestCall } from '../../src/testing/index.js';

interface Synth extends Contract {
  events: { scope: Float32Array; state: { gain: number } };
  messages: { gain: number; preset: string };
  host: { setGain(db: number): number; load(name: string): Promise<{ ok: boolean }> };
  page: Record<string, never>;
}

describe('the test host is typed by the contract', () => {
  it('sends, messages and calls', async () => {
    const host = await createTestHost<Synth>();
    host.send('scope', new Float32Array(4));
    // @ts-expect-error: state is an object
    host.send('state', 'loud');
    // @ts-expect-error: not an id the host sends
    host.send('nope', 1);
    expectTypeOf(host.nextMessage('gain')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(host.nextMessage('preset')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(host.nextMessage()).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(host.nextCall('load')).toEqualTypeOf<Promise<TestCall<[name: string], { ok: boolean }>>>();
    const call = await host.nextCall('setGain');
    expectTypeOf(call.args).toEqualTypeOf<[db: number]>();
    call.answer(3);
    // @ts-expect-error: setGain answers a number
    call.answer('x');
    host.answer('load', async (name) => ({ ok: name.length > 0 }));
    // @ts-expect-error: load answers { ok }
    host.answer('load', () => 1);
  });
});
