// `npm test`: the host module against a real WebView, with a client speaking to it as a page would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebView } from 'hise-webview';
import { connect } from 'hise-webview/client';
import { WebSocket } from 'ws';
import { GAIN_RANGE, type App } from '../shared/contract.js';
import host, { LEVEL_BLOCK, levels } from '../host/host.js';

test('levels follow the gain', () => {
  assert.equal(levels(0, 0).length, LEVEL_BLOCK);
  const loud = Math.max(...levels(0, 10));
  const quiet = Math.max(...levels(-20, 10));
  assert.ok(Math.abs(quiet / loud - 0.1) < 1e-6, `-20 dB is a tenth: ${quiet} vs ${loud}`);
});

test('a page gets levels and status, and sets the gain', async (t) => {
  const wv = new WebView<App>();
  const port = await wv.setEnableWebSocket(0);
  const stop = new AbortController();
  host(wv, { signal: stop.signal });
  const client = connect<App>({ port, host: '127.0.0.1', WebSocket: WebSocket as never });
  t.after(async () => {
    client.close();
    stop.abort();
    await wv.close();
  });

  const level = await new Promise<Float32Array>((resolve) => client.on('level', resolve));
  assert.equal(level.length, LEVEL_BLOCK);

  const status = new Promise<string>((resolve) => client.on('status', resolve));
  assert.equal(await client.call('setGain', -6), -6);
  assert.equal(await status, 'gain -6 dB');
  assert.equal(await client.call('setGain', 12), GAIN_RANGE.max, 'clamped to the range');
});
