import { describe, expect, it } from 'vitest';
import { DevError } from '../../src/dev/errors.js';
import { SUBPROTOCOL, WebView, WebViewError, type Page, type WebViewOptions } from '../../src/host/index.js';
import { DEFAULT_OPTIONS, NUMERIC_OPTIONS, resolveOptions } from '../../src/host/options.js';
import { attachInspector } from '../../src/inspector/index.js';
import { createSessionId, encodeStreamAck, FrameType } from '../../src/protocol/index.js';
import { createTestHost, TestHostError } from '../../src/testing/index.js';
import { hiseWebview } from '../../src/vite/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';

// Issue 20: an unknown option key is an error (naming the closest known one), on every option bag a
// user passes; one option drives one mechanism; one defaults object.

const KiB = 1024;
const MiB = 1024 * KiB;

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('unknown option keys', () => {
  it('new WebView({ maxPayLoad: 1 }) throws INVALID_OPTION naming the key and the closest valid one', () => {
    const error = thrown(() => new WebView({ maxPayLoad: 1 } as WebViewOptions));
    expect(error).toBeInstanceOf(WebViewError);
    expect((error as WebViewError).code).toBe('INVALID_OPTION');
    expect(error.message).toContain('maxPayLoad');
    expect(error.message).toContain('did you mean maxPayload?');
  });

  it('an unknown key is refused even when its value is undefined; every documented key is accepted', () => {
    expect(() => resolveOptions({ heartbeatInteval: undefined } as WebViewOptions)).toThrow(/heartbeatInteval .*heartbeatInterval/);
    for (const key of Object.keys(DEFAULT_OPTIONS)) expect(() => resolveOptions({ [key]: undefined } as WebViewOptions)).not.toThrow();
  });

  it('createTestHost refuses an unknown option with TestHostError INVALID_OPTION, and an unknown webView option with WebViewError', async () => {
    const error = await createTestHost({ tiemout: 5 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestHostError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('did you mean timeout?') });
    await expect(createTestHost({ webView: { maxPage: 2 } as WebViewOptions })).rejects.toMatchObject({ name: 'WebViewError', code: 'INVALID_OPTION' });
  });

  it('the Vite plugin refuses unknown keys of its options, of its inspector options and of its webView options at once', () => {
    const plugin = thrown(() => hiseWebview({ prot: 5173 } as never));
    expect(plugin).toBeInstanceOf(DevError);
    expect(plugin).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('did you mean port?') });
    expect(thrown(() => hiseWebview({ inspector: { blocksize: 64 } as never }))).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('did you mean blockSize?') });
    expect(thrown(() => hiseWebview({ webView: { tokn: 'x' } as never }))).toMatchObject({ name: 'WebViewError', code: 'INVALID_OPTION' });
    expect(hiseWebview({ port: 0, webView: { maxPages: 2 } }).name).toBe('hise-webview');
  });

  it('attachInspector refuses an unknown option', async () => {
    const wv = new WebView();
    try {
      expect(thrown(() => attachInspector(wv, { updaterate: 5 } as never))).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('did you mean updateRate?'),
      });
    } finally {
      await wv.close();
    }
  });
});

describe('the defaults object and the numeric rules', () => {
  it('every numeric default has a unit and satisfies its own rule', () => {
    for (const [key, { unit, min }] of Object.entries(NUMERIC_OPTIONS)) {
      const value = DEFAULT_OPTIONS[key as keyof typeof NUMERIC_OPTIONS];
      expect(typeof value, key).toBe('number');
      expect(value, key).toBeGreaterThanOrEqual(min);
      if (unit === 'count') expect(Number.isInteger(value), key).toBe(true);
    }
    expect(Object.isFrozen(DEFAULT_OPTIONS)).toBe(true);
  });

  it('a millisecond option past what Node timers take is refused', () => {
    expect(() => resolveOptions({ streamLatency: 2 ** 31 })).toThrow(/streamLatency must be at most/);
  });
});

describe('highWaterMark drives one mechanism; the stream window and parameter hold-back have their own options', () => {
  it('defaults equal the former behaviour: 1 MiB each, and an unset maxStreamWindow never below streamWindow', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ highWaterMark: 1 * MiB, maxStreamWindow: 1 * MiB, parameterHighWaterMark: 1 * MiB });
    expect(resolveOptions({ streamWindow: 2 * MiB }).maxStreamWindow).toBe(2 * MiB);
    expect(resolveOptions({ highWaterMark: 4 * KiB }).maxStreamWindow).toBe(1 * MiB);
    expect(resolveOptions({ highWaterMark: 4 * KiB }).parameterHighWaterMark).toBe(1 * MiB);
  });

  it('a maxStreamWindow below streamWindow is INVALID_OPTION; negative or non-numbers too', () => {
    expect(() => resolveOptions({ streamWindow: 64 * KiB, maxStreamWindow: 32 * KiB })).toThrow(/maxStreamWindow must be at least streamWindow/);
    expect(() => resolveOptions({ maxStreamWindow: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => resolveOptions({ parameterHighWaterMark: '1' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  /** Feeds a fast raw fresh-streams page (it acks every window) for `rounds`; resolves the largest window seen. */
  async function largestWindow(options: WebViewOptions, rounds: number): Promise<number> {
    const { wv, port } = await startHost({ streamLatency: 60_000, ...options });
    const connected = nextEvent(wv, 'connect');
    const raw = new RecordingClient(`ws://127.0.0.1:${port}/?session=${createSessionId()}&streams=1`, {}, [SUBPROTOCOL]);
    try {
      await raw.opened;
      const page = ((await connected) as [Page])[0];
      await raw.waitFor(2);
      const isStream = (type: number) => type === FrameType.Float32 || type === FrameType.Timed;
      const streamBytes = () => raw.messages.reduce((n, m) => (isStream(m.data[0]! & 0x7f) ? n + m.data.byteLength : n), 0);
      const data = new Float32Array(2048);
      let largest = 0;
      let acked = 0;
      for (let round = 0; round < rounds; round++) {
        for (let sent = 0; page.streamStats!.waiting === 0; sent++) {
          if (sent === 1000) throw new Error(`nothing waits for credit after ${sent} frames (window ${page.streamStats!.windowBytes})`);
          wv.send('a', data);
        }
        await until(() => streamBytes() === acked + page.streamStats!.bytesInFlight, 5000, 'the window to arrive');
        acked = streamBytes();
        raw.socket.send(encodeStreamAck(acked));
        await until(() => page.streamStats!.bytesInFlight === 0 || page.streamStats!.waiting === 0, 5000, 'the ack');
        largest = Math.max(largest, page.streamStats!.windowBytes);
      }
      return largest;
    } finally {
      raw.socket.terminate();
      await wv.close();
    }
  }

  it('the fresh-streams window grows up to maxStreamWindow, whatever highWaterMark is', async () => {
    // When one option drove both, the window grew to highWaterMark (1 MiB here).
    expect(await largestWindow({ streamWindow: 16 * KiB, maxStreamWindow: 48 * KiB, highWaterMark: 1 * MiB }, 16)).toBe(48 * KiB);
  });
});
