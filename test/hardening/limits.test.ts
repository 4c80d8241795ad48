import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, WebView, WebViewError } from '../../src/host/index.js';

// The limits added for hardening: documented defaults, validated like every other option.
describe('limits', () => {
  it('have their documented defaults', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ handshakeTimeout: 10_000, maxPages: 64, maxIncomingCalls: 256 });
    expect(new WebView().options).toMatchObject({ handshakeTimeout: 10_000, maxPages: 64, maxIncomingCalls: 256 });
  });

  it.each(['handshakeTimeout', 'maxPages', 'maxIncomingCalls'] as const)('%s refuses negative, NaN, infinite and non-numbers', (key) => {
    for (const bad of [-1, Number.NaN, Infinity, '10', null]) {
      expect(() => new WebView({ [key]: bad } as never), `${key}: ${String(bad)}`).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }) as unknown as WebViewError,
      );
    }
  });

  it('timer options above 2^31-1 ms are refused, since Node would fire them at once', () => {
    for (const key of ['handshakeTimeout', 'callTimeout', 'heartbeatInterval', 'closeTimeout']) {
      expect(() => new WebView({ [key]: 2 ** 31 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }) as unknown as WebViewError);
      expect(() => new WebView({ [key]: 2 ** 31 - 1 } as never)).not.toThrow();
    }
  });

  it('handshakeTimeout 0 disables the timer', async () => {
    const wv = new WebView({ handshakeTimeout: 0 });
    await wv.setEnableWebSocket(0);
    await wv.close();
  });
});
