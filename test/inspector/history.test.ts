import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDevHost, type DevHost } from '../../src/dev/dev-host.js';
import { WebView } from '../../src/host/index.js';
import { attachInspector } from '../../src/inspector/index.js';
import type { InspectorHistory } from '../../src/inspector/snapshot.js';
import { WebSocket } from 'ws';
import { connect } from '../../src/client/index.js';
import { RecordingClient, until } from '../helpers/node-client.js';

// The inspector's history: who is observed when (nothing without the inspector; from attach with
// it), and what a newly connected inspector page is sent first.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const hosts: DevHost[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const host of hosts.splice(0)) await host.close();
});

describe('inspector history', () => {
  it('a dev host without the inspector attaches no observer; with it, exactly one from its start', async () => {
    const observe = vi.spyOn(WebView.prototype, 'observe');
    const plain = await startDevHost({ log: quiet });
    hosts.push(plain);
    const page = new RecordingClient(`ws://127.0.0.1:${plain.port}`);
    await page.opened;
    plain.webView.send('title', 'not watched');
    await page.waitFor(1, 10_000);
    await page.close();
    expect(observe).not.toHaveBeenCalled();

    const inspected = await startDevHost({ log: quiet, inspect: true });
    hosts.push(inspected);
    expect(observe).toHaveBeenCalledTimes(1);
    expect(observe.mock.contexts[0]).toBe(inspected.webView);
  });

  it('sends a connecting inspector page the whole history before its first snapshot', async () => {
    const wv = new WebView();
    try {
      const port = await wv.setEnableWebSocket(0);
      const inspector = attachInspector(wv, { logSize: 100 });
      for (let i = 0; i < 150; i++) wv.send('early', i);
      class FromPage extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers: { Origin: `http://127.0.0.1:${port}` } });
        }
      }
      const client = connect<any>({ url: `ws://127.0.0.1:${port}/__hise-webview/inspector/socket`, token: inspector.token, WebSocket: FromPage as never });
      const arrived: { id: string; data: unknown }[] = [];
      client.onAny((id, data) => void arrived.push({ id, data }));
      try {
        await until(() => arrived.length >= 2, 10_000, 'history and a snapshot');
      } finally {
        client.close();
      }
      expect(arrived.map((m) => m.id).slice(0, 2)).toEqual(['history', 'snapshot']);
      const history = arrived[0]!.data as InspectorHistory;
      expect(history.logSize).toBe(100);
      expect(history.forgotten).toBe(50);
      expect(history.log.map((entry) => entry.text)).toEqual(Array.from({ length: 100 }, (_, i) => String(50 + i)));
    } finally {
      await wv.close();
    }
  });

  it('refuses bad history options with INVALID_OPTION', async () => {
    const wv = new WebView();
    try {
      expect(() => attachInspector(wv, { logBytes: 1000 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
      expect(() => attachInspector(wv, { history: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    } finally {
      await wv.close();
    }
  });
});
