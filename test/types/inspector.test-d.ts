import { describe, expectTypeOf, it } from 'vitest';
import type { HiseClient } from '../../src/client/index.js';
import type { WebView } from '../../src/host/index.js';
import { attachInspector, type Inspector, type InspectorFunctions, type InspectorOptions } from '../../src/inspector/index.js';

describe('the inspector, typed', () => {
  it('attachInspector takes a host and options and returns the handle', () => {
    expectTypeOf(attachInspector).parameters.toEqualTypeOf<[WebView, InspectorOptions?]>();
    expectTypeOf(attachInspector).returns.toEqualTypeOf<Inspector>();
    expectTypeOf<Inspector['url']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Inspector['close']>().returns.toEqualTypeOf<Promise<void>>();
  });

  it('its console functions are a contract the modern client calls with checked arguments', () => {
    type Console = HiseClient<{ host: InspectorFunctions }>;
    expectTypeOf<Console['call']>().toBeCallableWith('send', 'all', 'id', { x: 1 }, 'json');
    expectTypeOf<Console['call']>().toBeCallableWith('callPage', 1, 'echo', [1]);
    // @ts-expect-error: send's target is 'all' or a page id
    expectTypeOf<Console['call']>().toBeCallableWith('send', 'some', 'id', 1, 'json');
  });
});
