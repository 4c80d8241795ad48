import { describe, expectTypeOf, it } from 'vitest';
import type { Contract } from '../../src/client/index.js';
import { createHooks as reactHooks } from '../../src/react/index.js';
import { createHooks as svelteHooks } from '../../src/svelte/index.js';
import { createHooks as vueHooks } from '../../src/vue/index.js';

interface Synth extends Contract {
  events: { level: Float32Array };
  messages: { note: string };
  host: { setGain(db: number): number };
  params: { gain: number; mode: 'sine' | 'saw'; bypass: boolean };
}

describe('the bindings, typed from the contract by createHooks', () => {
  it('React: parameters, streams, messages and calls take the contract’s ids and types', () => {
    const { useParameter, useStream, useLatest, useMessage, useCall } = reactHooks<Synth>();
    expectTypeOf(useParameter('gain').value).toEqualTypeOf<number | undefined>();
    expectTypeOf(useParameter('mode').set).parameter(0).toEqualTypeOf<'sine' | 'saw'>();
    expectTypeOf(useLatest('level')).toEqualTypeOf<Float32Array | undefined>();
    expectTypeOf(useMessage('note')).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(useCall('setGain')).toEqualTypeOf<(db: number) => Promise<number>>();
    useStream('level', (frame) => expectTypeOf(frame).toEqualTypeOf<Float32Array>());
    // @ts-expect-error not a parameter of the contract
    useParameter('volume');
    // @ts-expect-error a choice takes only its names
    useParameter('mode').set('square');
    // @ts-expect-error not a host function
    useCall('setVolume');
  });

  it('Svelte and Vue: the same ids and types', () => {
    const svelte = svelteHooks<Synth>();
    expectTypeOf(svelte.useCall('setGain')).toEqualTypeOf<(db: number) => Promise<number>>();
    expectTypeOf(svelte.useParameter('bypass').set).parameter(0).toEqualTypeOf<boolean>();
    const vue = vueHooks<Synth>();
    expectTypeOf(vue.useParameter('gain').value.value).toEqualTypeOf<number | undefined>();
    expectTypeOf(vue.useLatest('level').value).toEqualTypeOf<Float32Array | undefined>();
    // @ts-expect-error not an event of the contract
    vue.useLatest('scope');
  });
});
