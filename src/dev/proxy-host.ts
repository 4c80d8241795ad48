import { attachHiseProxy, type Connection, type HiseProxy, type HiseProxyOptions, type Page } from '../host/index.js';
import type { HostFunction } from './host-module.js';
import { describeConnection, initWebSocketCode } from './inspector.js';
import type { DevLogger } from './log.js';
import { printable } from './printable.js';

/** The `evaluate` uid of the proxy's `initWebSocket(port)` call (persistent, so later pages get it too). */
const INIT_UID = 'hise-webview:proxy-init';

/** The WebView options a proxy needs: pages speak HISE's format, and HISE's script answers their parameter messages. */
export const PROXY_WEBVIEW_OPTIONS = { extensions: false, hiseParameters: false } as const;

/**
 * The host `hise-webview proxy` runs: a proxy to HISE at `options.port` ({@link attachHiseProxy}),
 * logging HISE coming and going and every message it did not pass on, and calling the page's
 * `initWebSocket` with this host's port, as HISE's script calls it with HISE's.
 * @param onProxy gets the proxy once it runs (for tests: `proxy.ready`)
 */
export function hiseProxyHost(log: DevLogger, options: HiseProxyOptions, onProxy?: (proxy: HiseProxy) => void): HostFunction {
  return (wv) => {
    const proxy = attachHiseProxy(wv, options);
    let reported = '';
    proxy.on('connected', () => {
      reported = '';
      log.info(`connected to HISE at port ${options.port}`);
    });
    proxy.on('disconnected', (error) => {
      if (error.message === reported) return; // once per reason while retrying
      reported = error.message;
      log.warn(`${error.code}: ${error.message}; trying again`);
    });
    proxy.on('warning', (error, page) => log.warn(printable(`${page === undefined ? '' : `page ${page.id}: `}${error.code}: ${error.message}`)));
    wv.on('connection', (connection: Connection) =>
      log.info(printable(`page ${connection.page.id} connected: ${describeConnection(connection)} (${connection.origin ?? 'no origin'})`)),
    );
    wv.on('disconnect', (page: Page, code: number) => log.info(`page ${page.id} disconnected (${code})`));
    if (wv.port !== undefined) void wv.evaluate(INIT_UID, initWebSocketCode(wv.port));
    onProxy?.(proxy);
    return () => proxy.close();
  };
}
