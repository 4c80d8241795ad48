import { describe, expectTypeOf, it } from 'vitest';
import { connect, type MessageMeta, type SubscribeOptions } from '../../src/client/index.js';
import { hostTime, WebView, type FreshStreamsStats, type Page, type SendOptions } from '../../src/host/index.js';

// Fresh streams (issue 14): the public types of both sides.

describe('fresh streams types', () => {
  it('page side: meta carries time and sample position; subscribe, unsubscribe, hostTime', () => {
    const client = connect({ port: 1 });
    client.on('scope', (_data, meta) => {
      expectTypeOf(meta.time).toEqualTypeOf<number | undefined>();
      expectTypeOf(meta.samplePosition).toEqualTypeOf<number | undefined>();
      expectTypeOf(meta).toEqualTypeOf<MessageMeta>();
    });
    client.subscribe(['scope'], { maxRate: 30 });
    client.subscribe('scope');
    client.subscribe();
    client.unsubscribe(['scope']);
    // @ts-expect-error: maxRate is a number
    client.subscribe(['scope'], { maxRate: '30' });
    expectTypeOf<SubscribeOptions>().toEqualTypeOf<{ maxRate?: number }>();
    expectTypeOf(client.hostTime()).toEqualTypeOf<number | undefined>();
    client.close();
  });

  it('host side: send options, hostTime, stream stats', () => {
    const wv = new WebView();
    wv.send('scope', new Float32Array(1), { time: hostTime(), samplePosition: 0 });
    // @ts-expect-error: time is a number on the host's clock
    wv.send('scope', new Float32Array(1), { time: 'now' });
    expectTypeOf<SendOptions>().toMatchTypeOf<{ time?: number; samplePosition?: number }>();
    expectTypeOf<Page['streamStats']>().toEqualTypeOf<FreshStreamsStats | undefined>();
    expectTypeOf<Page['whenStreamsFree']>().returns.toEqualTypeOf<Promise<void>>();
  });
});
