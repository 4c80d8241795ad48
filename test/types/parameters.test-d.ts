import { describe, expectTypeOf, it } from 'vitest';
import { attachDrag, bindRange, connect, type ClientParameter, type ParameterMeta } from '../../src/client/index.js';
import { WebView, type Contract, type Page, type Parameter } from '../../src/host/index.js';

interface Synth extends Contract {
  params: { gain: number; mode: 'sine' | 'saw' | 'noise'; bypass: boolean };
}

describe('parameters are typed through the contract', () => {
  it('host side', () => {
    const wv = new WebView<Synth>();
    const gain = wv.parameter('gain', { min: -60, max: 12, format: (v) => `${v.toFixed(1)} dB` });
    expectTypeOf(gain).toEqualTypeOf<Parameter<number>>();
    const mode = wv.parameter('mode', { choices: ['sine', 'saw', 'noise'], default: 'saw' });
    expectTypeOf(mode.value).toEqualTypeOf<'sine' | 'saw' | 'noise'>();
    // @ts-expect-error: not one of the contract's choices
    wv.parameter('mode', { choices: ['sine', 'square'] });
    const bypass = wv.parameter('bypass', { type: 'boolean' });
    expectTypeOf(bypass.value).toEqualTypeOf<boolean>();
    // @ts-expect-error: a boolean parameter has no range
    wv.parameter('bypass', { min: 0, max: 1 });
    // @ts-expect-error: not a parameter of the contract
    wv.parameter('volume', { min: 0, max: 1 });
    // @ts-expect-error: gain is a number
    gain.set('loud');
    gain.on('change', (value, change) => {
      expectTypeOf(value).toEqualTypeOf<number>();
      expectTypeOf(change.source).toEqualTypeOf<'host' | 'page'>();
      expectTypeOf(change.page).toEqualTypeOf<Page | undefined>();
    });
    gain.on('gesture', (gesture) => {
      if (gesture.phase === 'end') expectTypeOf(gesture.to).toEqualTypeOf<number>();
    });
  });

  it('untyped: the spec says the type', () => {
    const wv = new WebView();
    expectTypeOf(wv.parameter('gain', { min: 0, max: 1 }).value).toEqualTypeOf<number>();
    expectTypeOf(wv.parameter('mode', { choices: ['a', 'b'] }).value).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(wv.parameter('on', { type: 'boolean' }).value).toEqualTypeOf<boolean>();
  });

  it('page side', () => {
    const client = connect<Synth>({ port: 1 });
    const gain = client.parameter('gain');
    expectTypeOf(gain).toEqualTypeOf<ClientParameter<number>>();
    expectTypeOf(gain.value).toEqualTypeOf<number | undefined>();
    client.parameter('mode').subscribe((value, meta) => {
      expectTypeOf(value).toEqualTypeOf<'sine' | 'saw' | 'noise'>();
      expectTypeOf(meta).toEqualTypeOf<ParameterMeta>();
    });
    // @ts-expect-error: a choice parameter takes its names
    client.parameter('mode').set('square');
    // @ts-expect-error: not a parameter of the contract
    client.parameter('volume');
    expectTypeOf(attachDrag).parameter(1).toEqualTypeOf<ClientParameter>();
    // Any element fits the controls, though their declarations name no DOM type.
    const detach = attachDrag(document.createElement('div'), gain, { pixels: 200 });
    const unbind = bindRange(document.createElement('input'), client.parameter('mode'));
    expectTypeOf(detach).toEqualTypeOf<() => void>();
    expectTypeOf(unbind).toEqualTypeOf<() => void>();
  });
});
