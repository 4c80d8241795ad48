// Our modern client (issue 3): `connect({ port })`, `c.on(id, fn)`, `c.call(name, ...args)`; host side
// `wv.send(id, data)` and `wv.handle(name, fn)`. Rows are marked "pending issue 3" until the built
// package has it.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebView } from '../../dist/host/index.js';
import { createWebViewHost } from './webview-host.js';

const clientEntry = fileURLToPath(new URL('../../dist/client/index.js', import.meta.url));

const modern = {
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
  /** Given to the page: connect() options. Fresh streams (issue 14) are on, as by default. */
  pageParams: { clientOptions: {} },
  browser: function setupModern(params) {
    let onFloats = () => {};
    let onText = () => {};
    let client;
    const ready = import('/dist/client/index.js').then(async ({ connect }) => {
      client = connect({ port: params.port, ...params.clientOptions });
      await client.ready;
      client.onAny((id, data, meta) => (typeof data === 'string' ? onText(id, data) : onFloats(id, data, meta)));
    });
    return {
      ready,
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => client.send('text', text),
      call: (arg) => client.call('echo', arg),
      /** The modern client itself (subscribe, hostTime), for scenarios about fresh streams. */
      client: () => client,
    };
  },
};

export default modern;

/** The modern client with fresh streams off (`freshStreams: false`): what it did before issue 14, side by side. */
export const modernFlowControlOff = {
  ...modern,
  name: 'modern-fc-off',
  label: 'modern client, fresh streams off',
  pageParams: { clientOptions: { freshStreams: false } },
};

/** The modern client without owned frames (`ownedFrames: false`, issue 26): each stream frame whole, its samples copied out. */
export const modernWhole = {
  ...modern,
  name: 'modern-whole',
  label: 'modern client, owned frames off',
  pageParams: { clientOptions: { ownedFrames: false } },
};
