import { consoleLogger } from '../dev/log.js';
import { DevError } from '../dev/errors.js';
import { hiseProxyHost, PROXY_WEBVIEW_OPTIONS } from '../dev/proxy-host.js';
import { serve, type ServeOptions } from './serve-command.js';

/** The options of `hise-webview proxy`: `serve`'s (but no host module, signals or replay), and `--hise`. */
export interface ProxyOptions extends ServeOptions {
  hise?: unknown;
}

/**
 * `hise-webview proxy [root] --hise <port>`: serves `root` as `serve` does, with a proxy to the
 * HISE instance whose WebSocket server listens on `port` (127.0.0.1) as its host.
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export async function proxy(root: string | undefined, options: ProxyOptions): Promise<void> {
  const port = Number(options.hise);
  if (options.hise === undefined || typeof options.hise === 'boolean' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DevError('INVALID_ARGUMENT', `proxy needs HISE's port, the one its script gives setEnableWebSocket: --hise <1-65535>${options.hise === undefined ? '' : `, got ${JSON.stringify(options.hise)}`}`);
  }
  const log = consoleLogger('  ');
  await serve(root, options, {
    hostFunction: hiseProxyHost(log, { port }),
    hostLine: `proxy to HISE at 127.0.0.1:${port}`,
    webView: PROXY_WEBVIEW_OPTIONS,
  });
}
