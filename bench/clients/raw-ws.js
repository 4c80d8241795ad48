// The practical limit: a bare `ws` server sending each frame's float bytes with no framing, and a
// page that reads `new Float32Array(e.data)` from an ArrayBuffer. Calls are id-tagged JSON.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { waitFor } from './webview-host.js';

const rawWs = {
  name: 'raw-ws',
  label: 'raw ws (no framing)',
  available: () => ({ ok: true }),
  scripts: () => [],
  async createHost() {
    const http = createServer((_, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: true });
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    let handler = (arg) => arg;
    wss.on('connection', (ws) => {
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const { rpc, arg } = JSON.parse(data.toString());
        ws.send(JSON.stringify({ rpc, result: handler(arg) }));
      });
    });
    return {
      kind: 'raw-ws',
      port: http.address().port,
      pageCount: () => wss.clients.size,
      waitForPages: (n, timeoutMs = 20_000) => waitFor(() => wss.clients.size >= n, timeoutMs, `${n} page(s) to connect`),
      sendFloats(_id, f32) {
        const copy = f32.slice(); // the bytes must not change while queued, as the WebView's encode guarantees
        for (const ws of wss.clients) ws.send(copy);
      },
      sendText(_id, text) {
        for (const ws of wss.clients) ws.send(text);
      },
      buffered() {
        let most = 0;
        for (const ws of wss.clients) if (ws.bufferedAmount > most) most = ws.bufferedAmount;
        return most;
      },
      handle(fn) {
        handler = fn;
      },
      async close() {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        await new Promise((r) => http.close(() => r()));
      },
    };
  },
  browser: function setupRawWs(params) {
    const ws = new WebSocket(`ws://127.0.0.1:${params.port}`);
    ws.binaryType = 'arraybuffer';
    let onFloats = () => {};
    let onText = () => {};
    const pending = new Map();
    let nextCall = 0;
    ws.onmessage = (e) => {
      // `copy`: the samples copied out, as a client must when they arrive inside a framed message.
      if (typeof e.data !== 'string') return onFloats('', params.copy ? new Float32Array(e.data.slice(0)) : new Float32Array(e.data));
      if (e.data.startsWith('{"rpc"')) {
        const { rpc, result } = JSON.parse(e.data);
        pending.get(rpc)?.(result);
        pending.delete(rpc);
        return;
      }
      onText('', e.data);
    };
    return {
      ready: new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('raw ws connection failed'));
      }),
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => ws.send(text),
      call(arg) {
        const rpc = nextCall++;
        return new Promise((resolve) => {
          pending.set(rpc, resolve);
          ws.send(JSON.stringify({ rpc, arg }));
        });
      },
    };
  },
};

export default rawWs;

/** Raw ws with a page that copies each frame's samples into a buffer of their own (issue 26): the limit of a format whose samples sit inside a framed message, like HISE's. */
export const rawWsCopy = { ...rawWs, name: 'raw-ws-copy', label: 'raw ws, page copies the samples', pageParams: { copy: true } };
