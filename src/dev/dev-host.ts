import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { WebView, type WebViewOptions } from '../host/index.js';
import { attachInspector, type Inspector, type InspectorOptions as LiveInspectorOptions } from '../inspector/index.js';
import { DevError } from './errors.js';
import { resolveHostModule, type HostFunction } from './host-module.js';
import { HostRunner } from './host-runner.js';
import { inspectorHost, type InspectorOptions } from './inspector.js';
import { printable } from './printable.js';
import { startSessionTape, type SessionTapeOptions } from './session-tape.js';
import type { DevLogger } from './log.js';
import { watchRoot } from './root-watcher.js';
import { didYouMeanPath } from './suggest.js';
import { CLI_HINTS, logRefusals, type AdmitHints } from './refusal-log.js';

/** Options of {@link startDevHost}. */
export interface DevHostOptions {
  /** Folder (or its index.html) the host serves and watches; unset when another server serves the page (Vite). */
  root?: string | undefined;
  /** The project's images folder, for HISE's `{PROJECT_FOLDER}name.png` references (see `WebView.setProjectImagesFolder`). */
  projectImages?: string | undefined;
  /** Host module (TS or JS) to run and restart on change; unset runs the inspector. */
  hostModule?: string | undefined;
  /** Port of the host; 0: any free port. @default 0 */
  port?: number | undefined;
  /** A host function to run instead of a host module or the inspector (not watched: `hise-webview proxy`'s). */
  hostFunction?: HostFunction | undefined;
  /** What the inspector streams and how it logs, when no host module is given. */
  inspector?: InspectorOptions | undefined;
  /** Record the session to a file, or replay one (before the host module runs; a module given with a replay is its mock). */
  tape?: SessionTapeOptions | undefined;
  /** Options of the WebView. */
  webView?: WebViewOptions | undefined;
  /** Serve the live inspector page (`attachInspector`) on the host's port; its URL is {@link DevHost.inspectorUrl}. */
  inspect?: boolean | LiveInspectorOptions | undefined;
  /** How refused pages are explained (the flags or options that admit them). @default the CLI's flags */
  admitHints?: AdmitHints | undefined;
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string | undefined;
  log: DevLogger;
}

/** A running development host: a WebView, its host module (or the inspector), and the watchers. */
export interface DevHost {
  readonly webView: WebView;
  /** The page URL when the host serves a root, else the host's own URL. */
  readonly url: string;
  readonly port: number;
  /** The inspector page's URL (with its token), with `inspect`. */
  readonly inspectorUrl: string | undefined;
  /** Stops the host module, the watchers, and the WebView (pages get close frames; the port is freed). */
  close(): Promise<void>;
}

/**
 * Starts a WebView on `port`, serves `root` (reloading pages when files under it change) and runs
 * the host module (restarting it when it changes), or the inspector without one.
 * @throws {DevError} `ROOT_NOT_FOUND`, `HOST_MODULE_*`; `WebViewError` `PORT_IN_USE`, `INVALID_PORT`, `INVALID_OPTION`
 */
export async function startDevHost(options: DevHostOptions): Promise<DevHost> {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root === undefined ? undefined : await resolveRoot(options.root, cwd);
  const hostModule = options.hostModule === undefined ? undefined : await resolveHostModule(options.hostModule, cwd);
  const webView = new WebView(options.webView);
  const runner = new HostRunner(webView, options.log, cwd);
  const stopRefusalLog = logRefusals(webView, options.log, options.admitHints ?? CLI_HINTS);
  let watcher: FSWatcher | undefined;
  let stopTape: (() => void) | undefined;
  let inspector: Inspector | undefined;
  const close = async (): Promise<void> => {
    await watcher?.close();
    await runner.close();
    stopTape?.();
    await webView.close();
    stopRefusalLog();
  };
  try {
    const port = await webView.setEnableWebSocket(options.port ?? 0);
    if (options.inspect) inspector = attachInspector(webView, options.inspect === true ? {} : options.inspect);
    if (root !== undefined) await webView.setIndexFile(root.path);
    if (options.projectImages !== undefined) await webView.setProjectImagesFolder(resolve(cwd, options.projectImages));
    if (options.tape !== undefined) {
      const tape = startSessionTape(webView, options.tape, options.log);
      stopTape = tape.stop;
      runner.beforeRun = tape.beforeRun;
    }
    if (hostModule !== undefined) await runner.runModule(hostModule);
    else await runner.runFunction(options.hostFunction ?? inspectorHost(options.log, options.inspector));
    if (root !== undefined) {
      // A host module kept under the root restarts the host when edited; it does not reload the pages.
      const isHostFile = (file: string): boolean => runner.watchedFiles.has(file);
      watcher = await watchRoot(root.folder, (changed) => reloadPages(webView, changed, options.log), options.log, isHostFile);
    }
    return { webView, url: webView.url ?? `http://127.0.0.1:${port}/`, port, inspectorUrl: inspector?.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function reloadPages(webView: WebView, changed: string[], log: DevLogger): void {
  const count = webView.reloadPages();
  const files = changed.length > 3 ? `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more` : changed.join(', ');
  log.info(`${printable(files)} changed: reloading ${count} page${count === 1 ? '' : 's'}`); // file names may hold anything
}

/** The path to give `setIndexFile` and the folder to watch: `root` may be the folder or its index.html. */
async function resolveRoot(root: string, cwd: string): Promise<{ path: string; folder: string }> {
  const path = resolve(cwd, root);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new DevError('ROOT_NOT_FOUND', `root not found: ${root}${await didYouMeanPath(root, path)}`);
  if (info.isDirectory()) return { path, folder: path };
  if (basename(path).toLowerCase().endsWith('.html')) return { path, folder: dirname(path) };
  throw new DevError('ROOT_NOT_FOUND', `root must be a folder or an .html file: ${root}`);
}
