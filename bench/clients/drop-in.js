// Our drop-in `HiseWebSocketServer`, loaded from the host itself (GET /hisewebsocket-min.js), as a
// HISE page would load it.
import { createWebViewHost } from './webview-host.js';

export default {
  name: 'drop-in',
  label: 'drop-in HiseWebSocketServer',
  available: () => ({ ok: true }),
  scripts: ({ port }) => [`http://localhost:${port}/hisewebsocket-min.js`],
  createHost: (options) => createWebViewHost(options),
  /** Page side: runs in the browser (stringified). */
  browser: function setupDropIn(params) {
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
      ready: new Promise((resolve) => server.addEventListener('open', resolve)),
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
