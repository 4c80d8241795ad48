import { describe, expectTypeOf, it } from 'vitest';
import { connect, type MessageMeta } from '../../src/client/index.js';
import { WebView, type Contract, type Page } from '../../src/host/index.js';

interface Synth extends Contract {
  events: { scope: Float32Array; state: { gain: number; playing: boolean } };
  messages: { gain: number; preset: string };
  host: { setGain(db: number): number; load(name: string): Promise<{ ok: boolean }> };
  page: { flash(color: string): void; size(): { w: number; h: number } };
}

describe('a typed contract holds on both sides', () => {
  it('page side', () => {
    const client = connect<Synth>({ port: 1 });
    client.on('scope', (data, meta) => {
      expectTypeOf(data).toEqualTypeOf<Float32Array>();
      expectTypeOf(meta).toEqualTypeOf<MessageMeta>();
    });
    client.on('state', (data) => expectTypeOf(data.gain).toBeNumber());
    // @ts-expect-error: not an id the host sends
    client.on('nope', () => undefined);
    client.send('gain', 0.5);
    // @ts-expect-error: gain is a number
    client.send('gain', 'loud');
    expectTypeOf(client.call('setGain', -6)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(client.call('load', 'warm')).toEqualTypeOf<Promise<{ ok: boolean }>>();
    // @ts-expect-error: wrong argument type
    void client.call('setGain', 'x');
    // @ts-expect-error: not a host function
    void client.call('reboot');
    client.handle('flash', (color) => expectTypeOf(color).toBeString());
  });

  it('host side', () => {
    const wv = new WebView<Synth>();
    wv.send('scope', new Float32Array(1));
    // @ts-expect-error: state needs gain and playing
    wv.send('state', { gain: 1 });
    wv.onMessage('preset', (name, page) => {
      expectTypeOf(name).toBeString();
      expectTypeOf(page).toEqualTypeOf<Page>();
    });
    wv.handle('setGain', (db) => db * 2);
    // @ts-expect-error: must return a number
    wv.handle('setGain', () => 'no');
    const page = {} as Page;
    expectTypeOf(wv.call(page, 'size')).toEqualTypeOf<Promise<{ w: number; h: number }>>();
    expectTypeOf(wv.call('all', 'size')).toEqualTypeOf<Promise<PromiseSettledResult<{ w: number; h: number }>[]>>();
    wv.retain('state');
    // @ts-expect-error: not an id
    wv.retain('nope');
  });

  it('untyped by default', () => {
    const client = connect({ port: 1 });
    client.on('anything', (data) => expectTypeOf(data).toBeUnknown());
    expectTypeOf(client.call('whatever', 1, 'two')).toEqualTypeOf<Promise<unknown>>();
  });
});
