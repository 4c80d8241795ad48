// Host side shared by the clients that talk to our `WebView` (drop-in, HISE's stock client, modern).
import { WebView } from '../../dist/host/index.js';

/**
 * Starts a `WebView` on loopback, port 0, and wraps it in the bench's host interface.
 * `rpc` is how page → host calls travel: 'legacy' = a JSON text `{rpc, arg}` answered with
 * `sendToWebSocket('rpc', {rpc, result})`; 'modern' = `wv.handle(name, fn)`.
 */
export async function createWebViewHost({ highWaterMark, streamWindow, streamLatency, rpc = 'legacy', WebViewClass = WebView } = {}) {
  const limits = { highWaterMark, streamWindow, streamLatency };
  const wv = new WebViewClass(Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)));
  const port = await wv.setEnableWebSocket(0);
  const errors = [];
  wv.on('error', (error) => errors.push(error));
  let handler = (arg) => arg;
  let onMessage = () => {};
  wv.setWebSocketCallback((data, page) => {
    if (rpc === 'legacy' && data !== null && typeof data === 'object' && 'rpc' in data) {
      wv.sendToWebSocket('rpc', { rpc: data.rpc, result: handler(data.arg) });
      return;
    }
    onMessage(data, page);
  });
  if (rpc === 'modern') wv.handle('echo', (arg) => handler(arg));

  return {
    kind: 'webview',
    port,
    webView: wv,
    errors,
    pageCount: () => wv.pages.length,
    waitForPages: (n, timeoutMs = 20_000) => waitFor(() => wv.pages.length >= n, timeoutMs, `${n} page(s) to connect`),
    sendFloats: rpc === 'modern' ? (id, f32, options) => wv.send(id, f32, options) : (id, f32) => wv.sendToWebSocket(id, f32),
    sendText: rpc === 'modern' ? (id, text) => wv.send(id, text) : (id, text) => wv.sendToWebSocket(id, text),
    /**
     * Most bytes waiting for any one page (socket buffer + held back by backpressure). A page whose
     * fresh-streams window is full (a frame waits for its credit) counts as full: sending more now
     * would only replace the waiting frame.
     */
    buffered() {
      let most = 0;
      for (const page of wv.pages) {
        if ((page.streamStats?.waiting ?? 0) > 0) return Infinity;
        if (page.bufferedBytes > most) most = page.bufferedBytes;
      }
      return most;
    },
    /**
     * A promise for room when a page's fresh-streams window is full (frames wait for its credit),
     * else undefined: the pump then waits for the page's acks instead of sleeping.
     */
    waitForRoom() {
      const full = wv.pages.filter((page) => (page.streamStats?.waiting ?? 0) > 0);
      return full.length ? Promise.all(full.map((page) => page.whenStreamsFree())) : undefined;
    },
    handle(fn) {
      handler = fn;
    },
    onMessage(fn) {
      onMessage = fn;
    },
    close: () => wv.close(),
  };
}

export function waitFor(predicate, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}
