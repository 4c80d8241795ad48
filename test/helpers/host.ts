import { afterEach } from 'vitest';
import { WebView, type WebViewOptions } from '../../src/host/index.js';

const open: WebView[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((wv) => wv.close()));
});

/** A real host on a free port, closed after the test. */
export async function startHost(options: WebViewOptions = {}): Promise<{ wv: WebView; port: number }> {
  const wv = new WebView(options);
  open.push(wv);
  const port = await wv.setEnableWebSocket(0);
  return { wv, port };
}

/** Resolves with the arguments of the next `event` the host emits. */
export function nextEvent<K extends 'connect' | 'disconnect' | 'error' | 'refused'>(wv: WebView, event: K): Promise<unknown[]> {
  return new Promise((resolve) => wv.once(event, ((...args: unknown[]) => resolve(args)) as never));
}
