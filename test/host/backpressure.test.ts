import { describe, expect, it, vi } from 'vitest';
import { connect, until } from '../helpers/node-client.js';
import { startHost } from '../helpers/host.js';

describe('a page that stops reading', () => {
  it('is held to the high-water mark; after it resumes, every control message arrives in order and streams are the latest', async () => {
    const highWaterMark = 64 * 1024;
    const { wv, port } = await startHost({ highWaterMark });
    const client = await connect(port);
    await until(() => wv.pages.length === 1);
    const page = wv.pages[0]!;
    const rawSocket = (client.socket as unknown as { _socket: import('node:net').Socket })._socket;
    rawSocket.pause(); // the page stops reading; the kernel buffers fill, then the host's
    const frame = new Float32Array(8192);
    let controls = 0;
    for (let round = 0; round < 400; round++) {
      for (let stream = 0; stream < 4; stream++) {
        frame.fill(round);
        wv.sendToWebsocket(`s${stream}`, frame);
      }
      if (round % 20 === 0) wv.sendToWebsocket('control', `c${controls++}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(page.congested).toBe(true);
    expect(page.stats.framesCoalesced).toBeGreaterThan(0);
    // Host memory for this page: socket buffer ≤ mark + one frame, plus one held frame per stream id.
    const frameBytes = 7 + 3 + 8192 * 4;
    expect(page.bufferedBytes).toBeLessThanOrEqual(highWaterMark + frameBytes + 4 * frameBytes + controls * 20);
    rawSocket.resume();
    await until(() => client.messages.filter((m) => m.data.subarray(3, 10).toString() === 'control').length === controls, 10_000);
    const controlTexts = client.messages
      .filter((m) => m.data.subarray(3, 10).toString() === 'control')
      .map((m) => m.data.subarray(7 + 8).toString());
    expect(controlTexts).toEqual(Array.from({ length: controls }, (_, i) => `c${i}`));
    // Each stream's last delivered frame is the newest one sent, and frames never go back in time.
    await until(() => !page.congested && page.bufferedBytes === 0, 10_000);
    // A sentinel written after every stream frame (nothing is held once the page is not congested):
    // when it arrives, any frame that would go back in time has arrived before it.
    wv.sendToWebsocket('control', 'end');
    await until(() => client.messages.some((m) => m.data.subarray(3, 10).toString() === 'control' && m.data.subarray(7 + 8).toString() === 'end'), 10_000);
    for (let stream = 0; stream < 4; stream++) {
      const values = client.messages.filter((m) => m.data.subarray(3, 5).toString() === `s${stream}`).map((m) => m.data.readFloatLE(10));
      expect(values.at(-1)).toBe(399);
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('is disconnected with PAGE_TOO_SLOW once its waiting control messages pass maxQueuedBytesPerPage', async () => {
    const { wv, port } = await startHost({ highWaterMark: 1024, maxQueuedBytesPerPage: 256 * 1024 });
    const errors: string[] = [];
    wv.on('error', (error) => errors.push(error.code));
    const client = await connect(port);
    (client.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const text = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 2000 && errors.length === 0; i++) {
      wv.sendToWebsocket('log', text);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(errors).toContain('PAGE_TOO_SLOW');
    await until(() => wv.pages.length === 0);
  });
});

describe('heartbeat', () => {
  // The interval runs on a fake clock, so a loaded machine cannot make a healthy page miss it: the
  // healthy page's pong is known to be back (a message it sends after it arrived) before the next tick.
  it('disconnects a page that stops answering pings with PAGE_UNRESPONSIVE', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { wv, port } = await startHost({ heartbeatInterval: 1000 });
      const errors: string[] = [];
      wv.on('error', (error) => errors.push(error.code));
      const received: unknown[] = [];
      wv.setWebSocketCallback((data) => void received.push(data));
      const silent = await connect(port, { autoPong: false });
      const healthy = await connect(port);
      await until(() => wv.pages.length === 2);
      const pinged = new Promise<void>((resolve) => healthy.socket.once('ping', () => resolve()));
      vi.advanceTimersByTime(1000); // the first ping to both
      await pinged;
      healthy.socket.send('after my pong'); // ws answered the ping before this, on the same socket
      await until(() => received.includes('after my pong'));
      expect(errors).toEqual([]);
      vi.advanceTimersByTime(1000); // the second tick: the silent page missed its pong
      const { code } = await silent.closed;
      expect(code).toBe(1006);
      expect(errors).toEqual(['PAGE_UNRESPONSIVE']);
      await until(() => wv.pages.length === 1);
      expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    } finally {
      vi.useRealTimers();
    }
  });
});
