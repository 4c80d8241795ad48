import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS, WebView, WebViewError } from '../../src/host/index.js';
import { tcp } from './helpers.js';

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

  // The fake clock stands in for "as long as you like": only setTimeout is faked, so sockets and
  // Node's own I/O run for real while the host's handshake timer (if any) waits for vi.advanceTimersByTime.
  it('handshakeTimeout 0 disables the timer: a handshake dribbled over any time still completes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // Control: with a timer, the same dribble is cut once the fake clock passes it.
      const timed = await dribbledUpgrade(1000);
      expect(timed.outcome).toBe('closed');
      expect(timed.refused).toEqual(['timeout']);
      const untimed = await dribbledUpgrade(0);
      expect(untimed.outcome).toBe('upgraded');
      expect(untimed.refused).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

/**
 * Opens a TCP connection, writes half an upgrade, makes sure the host has accepted the connection
 * (a second connection's complete request is answered after it), lets the fake clock run past
 * any handshake timer (2^31-1 ms), then writes the rest. Resolves with what became of it.
 */
async function dribbledUpgrade(handshakeTimeout: number): Promise<{ outcome: 'upgraded' | 'closed'; refused: string[] }> {
  const wv = new WebView({ handshakeTimeout });
  const refused: string[] = [];
  wv.on('refused', (info) => refused.push(info.reason));
  const port = await wv.setEnableWebSocket(0);
  try {
    const socket = await tcp(port);
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n`);
    let head = '';
    const outcome = new Promise<'upgraded' | 'closed'>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) resolve(head.startsWith('HTTP/1.1 101') ? 'upgraded' : 'closed');
      });
      socket.once('close', () => resolve('closed'));
    });
    const sentinel = await fetch(`http://127.0.0.1:${port}/__no-such-file`);
    await sentinel.arrayBuffer(); // answered: the host has accepted the first connection before this one
    vi.advanceTimersByTime(2 ** 31 - 1);
    await new Promise<void>((resolve) => setImmediate(resolve)); // let a destroyed socket's close reach us before writing
    if (!socket.destroyed) {
      socket.write(`Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    }
    const result = await outcome;
    socket.destroy();
    return { outcome: result, refused };
  } finally {
    vi.useRealTimers();
    await wv.close();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  }
}
