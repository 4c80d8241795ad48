// What the page's script finds on `window`, typed from the shared contract.
import type { HiseWebSocketServer as DropIn } from 'hise-webview/client';
import type { App } from '../shared/contract.js';

type Bound<F extends (...args: any[]) => unknown> = (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;

declare global {
  /** HISE's client, defined by hisewebsocket-min.js. */
  var HiseWebSocketServer: typeof DropIn;
  type HiseWebSocketServer = DropIn;
  interface Window {
    /** Called by the host with its port (the seed document's pattern). */
    initWebSocket(port: number): void;
    /** A bound callback: the host's `setGain`. */
    setGain: Bound<App['host']['setGain']>;
  }
}
