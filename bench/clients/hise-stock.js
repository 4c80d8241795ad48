// HISE's own hisewebsocket-min.js, read at run time from the path in HISE_CLIENT_JS (never copied
// into this repo), against our WebView host.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createWebViewHost } from './webview-host.js';

const file = process.env.HISE_CLIENT_JS ? resolve(process.env.HISE_CLIENT_JS) : undefined;

export default {
  name: 'hise-stock',
  label: "HISE's stock client",
  available() {
    if (file === undefined) return { ok: false, reason: 'HISE_CLIENT_JS is not set' };
    if (!existsSync(file)) return { ok: false, reason: `HISE_CLIENT_JS names a missing file: ${file}` };
    return { ok: true };
  },
  files: () => (file ? { '/hise/hisewebsocket-min.js': file } : {}),
  scripts: () => ['/hise/hisewebsocket-min.js'],
  createHost: (options) => createWebViewHost(options),
  browser: function setupHiseStock(params) {
    // Constructed synchronously: the stock client connects on `load` and never if built after it.
    const server = new HiseWebSocketServer(params.port);
    let onFloats = () => {};
    let onText = () => {};
    const pending = new Map();
    let nextCall = 0;
    server.addEventListener((id, data) => {
      if (typeof data !== 'string') return onFloats(id, data);
      if (id === 'rpc') {
        const { rpc, result } = JSON.parse(data);
        pending.get(rpc)?.(result);
        pending.delete(rpc);
        return;
      }
      onText(id, data);
    });
    return {
      // The stock client has no open event: poll its socket.
      ready: new Promise((resolve) => {
        const poll = () => (server.socket?.readyState === 1 ? resolve() : setTimeout(poll, 5));
        poll();
      }),
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => server.send(text),
      call(arg) {
        const rpc = nextCall++;
        return new Promise((resolve) => {
          pending.set(rpc, resolve);
          server.send(JSON.stringify({ rpc, arg }));
        });
      },
    };
  },
};
