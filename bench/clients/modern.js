// Our modern client (issue 3): `connect({ port })`, `c.on(id, fn)`, `c.call(name, ...args)`; host side
// `wv.send(id, data)` and `wv.handle(name, fn)`. Rows are marked "pending issue 3" until the built
// package has it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebView } from '../../dist/host/index.js';
import { createWebViewHost } from './webview-host.js';

const clientEntry = fileURLToPath(new URL('../../dist/client/index.js', import.meta.url));

export default {
  name: 'modern',
  label: 'modern client',
  available() {
    const exportsConnect = existsSync(clientEntry) && /\bconnect\b/.test(readFileSync(clientEntry, 'utf8'));
    const hostHasApi = typeof WebView.prototype.handle === 'function' && typeof WebView.prototype.send === 'function';
    if (!exportsConnect || !hostHasApi) return { ok: false, reason: 'pending issue 3 (dist/client has no connect / WebView has no handle, send)' };
    return { ok: true };
  },
  scripts: () => [],
  createHost: (options) => createWebViewHost({ ...options, rpc: 'modern' }),
  browser: function setupModern(params) {
    let onFloats = () => {};
    let onText = () => {};
    let client;
    const ready = import('/dist/client/index.js').then(async ({ connect }) => {
      client = connect({ port: params.port });
      await client.ready;
      client.onAny((id, data) => (typeof data === 'string' ? onText(id, data) : onFloats(id, data)));
    });
    return {
      ready,
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => client.send('text', text),
      call: (arg) => client.call('echo', arg),
    };
  },
};
