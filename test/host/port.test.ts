import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebView, WebViewError } from '../../src/host/index.js';
import { connect } from '../helpers/node-client.js';
import { startHost } from '../helpers/host.js';

describe('setEnableWebSocket', () => {
  it('picks a free port for 0 and for -1', async () => {
    const { port } = await startHost();
    expect(port).toBeGreaterThan(0);
    const other = new WebView();
    try {
      const second = await other.setEnableWebSocket(-1);
      expect(second).toBeGreaterThan(0);
      expect(second).not.toBe(port);
    } finally {
      await other.close();
    }
  });

  it('resolves the same port when called again', async () => {
    const { wv, port } = await startHost();
    expect(await wv.setEnableWebSocket(0)).toBe(port);
    expect(await wv.setEnableWebSocket(1234)).toBe(port);
    expect(wv.port).toBe(port);
  });

  it('is reachable on 127.0.0.1, ::1 and localhost', async () => {
    const { wv, port } = await startHost();
    for (const host of ['127.0.0.1', '[::1]', 'localhost']) {
      const client = await connect(port, {}, host);
      await client.close();
    }
    expect(wv.pages).toHaveLength(0);
  });

  it('rejects a taken port with PORT_IN_USE', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const wv = new WebView();
    try {
      await expect(wv.setEnableWebSocket(taken)).rejects.toMatchObject({ name: 'WebViewError', code: 'PORT_IN_USE' });
    } finally {
      await wv.close();
      blocker.close();
    }
  });

  it.each([65536, -2, 1.5, Number.NaN])('rejects port %s with INVALID_PORT', async (port) => {
    const wv = new WebView();
    await expect(wv.setEnableWebSocket(port)).rejects.toBeInstanceOf(WebViewError);
    await expect(wv.setEnableWebSocket(port)).rejects.toMatchObject({ code: 'INVALID_PORT' });
    await wv.close();
  });

  it('frees the port on close, so it can be bound again', async () => {
    const first = new WebView();
    const port = await first.setEnableWebSocket(0);
    const client = await connect(port);
    await first.close();
    expect((await client.closed).code).toBe(1001);
    const second = new WebView();
    expect(await second.setEnableWebSocket(port)).toBe(port);
    await second.close();
  });

  it('refuses use after close with CLOSED', async () => {
    const wv = new WebView();
    await wv.close();
    await expect(wv.setEnableWebSocket(0)).rejects.toMatchObject({ code: 'CLOSED' });
    expect(() => wv.sendToWebsocket('a', 'b')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('refuses bad options with INVALID_OPTION', () => {
    expect(() => new WebView({ maxPayload: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => new WebView({ allowedOrigins: 'https://x' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('GET /hisewebsocket-min.js', () => {
  it('serves the built drop-in as JavaScript', async () => {
    const { port } = await startHost();
    const response = await fetch(`http://127.0.0.1:${port}/hisewebsocket-min.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toContain('HiseWebSocketServer');
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });
});
