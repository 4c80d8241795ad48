import { describe, expectTypeOf, it } from 'vitest';
import { bridgeConfig, connect, hostPort, type BridgeConfig, type ClientError, type ClientErrorCode, type HiseClient } from '../../src/client/index.js';

describe('connect without configuration, typed', () => {
  it('connect() takes no options in a bridged page', () => {
    expectTypeOf(connect).toBeCallableWith();
    expectTypeOf(connect()).toEqualTypeOf<HiseClient>();
  });

  it('hostPort() and bridgeConfig() say when there is no bridge', () => {
    expectTypeOf(hostPort).returns.toEqualTypeOf<number | undefined>();
    expectTypeOf(bridgeConfig).returns.toEqualTypeOf<Readonly<BridgeConfig> | undefined>();
    expectTypeOf<NonNullable<ReturnType<typeof bridgeConfig>>['token']>().toEqualTypeOf<string | undefined>();
  });

  it('ClientError carries a code union', () => {
    expectTypeOf<ClientError['code']>().toEqualTypeOf<ClientErrorCode>();
    expectTypeOf<'INVALID_OPTION'>().toMatchTypeOf<ClientErrorCode>();
    expectTypeOf<'NO_PORT'>().toMatchTypeOf<ClientErrorCode>();
  });

  it('options of the wrong type do not compile', () => {
    // @ts-expect-error a port is a number
    connect({ port: '8080' });
    // @ts-expect-error unknown options are refused at compile time too
    connect({ prot: 8080 });
  });
});
