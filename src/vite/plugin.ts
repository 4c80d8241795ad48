import type { HtmlTagDescriptor, Logger, Plugin, ViteDevServer } from 'vite';
import { startDevHost, type DevHost } from '../dev/dev-host.js';
import type { InspectorOptions } from '../dev/inspector.js';
import type { InspectorOptions as LiveInspectorOptions } from '../inspector/index.js';
import { DevError, withDetails } from '../dev/errors.js';
import type { DevLogger } from '../dev/log.js';
import type { WebViewOptions } from '../host/index.js';
import { resolveOptions, unknownOptionProblem } from '../host/options.js';
import { rootScripts } from './root-scripts.js';
import { VITE_HINTS } from '../dev/refusal-log.js';
import { resolve } from 'node:path';
import { projectImagesMiddleware } from './project-images-middleware.js';

/** Options of {@link hiseWebview}. */
export interface HiseWebviewPluginOptions {
  /** Host module (TS or JS, relative to Vite's root) exporting a function that receives the WebView; restarted when it changes. Unset: the inspector logs what pages send. */
  module?: string;
  /** @deprecated the old name of {@link HiseWebviewPluginOptions.module} (Vite's own `server.host` means something else). */
  host?: string;
  /** Port of the host (not Vite's). 0: any free port. @default 0 */
  port?: number;
  /** Test signals and logging of the inspector (when `host` is unset). */
  inspector?: InspectorOptions;
  /** Options of the WebView (limits, token, `allowedOrigins`, `allowFilePages`, …). */
  webView?: WebViewOptions;
  /** `'strict'`: the WebView's HISE-strict mode (docs/HISE-STRICT.md), the same as `webView: { hise: 'strict' }`; its warnings go to Vite's log. @default 'default' */
  hise?: 'default' | 'strict';
  /** The project's images folder (relative to Vite's root): serves HISE's `{PROJECT_FOLDER}name.png` references. */
  images?: string;
  /** Serve the live inspector page on the host's port (`attachInspector`); its URL is printed in Vite's log. */
  inspect?: boolean | LiveInspectorOptions;
}

const PREFIX = '[hise-webview] ';

const PLUGIN_OPTION_KEYS = Object.keys({ module: true, host: true, port: true, inspector: true, webView: true, hise: true, images: true, inspect: true } satisfies Record<keyof HiseWebviewPluginOptions, true>);
const INSPECTOR_OPTION_KEYS = Object.keys({ signals: true, rate: true, blockSize: true, logInterval: true, maxTrackedIds: true } satisfies Record<keyof InspectorOptions, true>);

/**
 * Refuses unknown keys at once (Vite's config load), where a typo is seen, rather than ignoring them.
 * @throws {DevError} `INVALID_OPTION`; {@link WebViewError} `INVALID_OPTION` for a bad `webView` option
 */
function checkOptions(options: HiseWebviewPluginOptions): void {
  const unknown =
    unknownOptionProblem(options, PLUGIN_OPTION_KEYS, 'hiseWebview option') ??
    (options.inspector === undefined ? undefined : unknownOptionProblem(options.inspector, INSPECTOR_OPTION_KEYS, 'hiseWebview inspector option'));
  if (unknown !== undefined) throw new DevError('INVALID_OPTION', unknown);
  resolveOptions(webViewOptions(options));
}

/** The WebView's options, with the plugin's `hise` shorthand. */
function webViewOptions(options: HiseWebviewPluginOptions): WebViewOptions | undefined {
  return options.hise === undefined ? options.webView : { ...options.webView, hise: options.hise };
}

/**
 * Runs a WebView (and its host module) beside Vite's dev server, and injects the host's bridge
 * script into `<head>` of every page Vite serves, so the page gets the same API as one the host
 * serves itself. Like the host, it serves HISE's drop-in at `/hisewebsocket-min.js` (and `204` for
 * `/favicon.ico`) unless the project has its own. Vite's HMR is untouched; the WebView closes with
 * Vite's server. Dev server only.
 */
export function hiseWebview(options: HiseWebviewPluginOptions = {}): Plugin {
  checkOptions(options);
  let starting: Promise<DevHost> | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= (starting ?? Promise.resolve(undefined)).then((host) => host?.close(), () => undefined));

  return {
    name: 'hise-webview',
    apply: 'serve',
    configureServer(server: ViteDevServer) {
      const log = viteLogger(server.config.logger);
      if (options.host !== undefined) log.warn("the plugin option host is deprecated (Vite's server.host means something else): use module");
      starting = startDevHost({
        hostModule: options.module ?? options.host,
        port: options.port,
        inspector: options.inspector,
        webView: webViewOptions(options),
        inspect: options.inspect,
        cwd: server.config.root,
        log,
        admitHints: VITE_HINTS,
      });
      starting.then(
        (host) => {
          server.config.logger.info(`${PREFIX}host on ${host.url} (bridge: ${host.webView.bridgeScriptUrl ?? 'not available'})`, { timestamp: true });
          if (host.inspectorUrl !== undefined) server.config.logger.info(`${PREFIX}inspector at ${host.inspectorUrl}`, { timestamp: true });
        },
        (error: Error) => server.config.logger.error(`${PREFIX}${withDetails(error)}`, { timestamp: true }),
      );
      server.httpServer?.once('close', () => void close());
      // Before Vite's own middlewares, which would answer 404 (or the SPA fallback) for these.
      server.middlewares.use(rootScripts(() => [server.config.root, server.config.publicDir].filter(Boolean), () => server.config.base));
      if (options.images !== undefined) {
        const onError = (message: string): void => server.config.logger.error(PREFIX + message, { timestamp: true });
        server.middlewares.use(projectImagesMiddleware(resolve(server.config.root, options.images), onError));
      }
    },
    async transformIndexHtml(): Promise<HtmlTagDescriptor[]> {
      const host = await starting?.catch(() => undefined);
      const src = host?.webView.bridgeScriptUrl;
      if (src === undefined) return [];
      return [{ tag: 'script', attrs: { src }, injectTo: 'head-prepend' }];
    },
    async closeBundle() {
      await close();
    },
  };
}

function viteLogger(logger: Logger): DevLogger {
  return {
    info: (line) => logger.info(PREFIX + line.trim(), { timestamp: true }),
    warn: (line) => logger.warn(PREFIX + line.trim(), { timestamp: true }),
    error: (line) => logger.error(PREFIX + line.trim(), { timestamp: true }),
  };
}
