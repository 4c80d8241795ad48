import { relative } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { WebView } from '../host/index.js';
import { debounce } from './debounce.js';
import { reportError } from './error-report.js';
import { DevError, firstLine, withDetails } from './errors.js';
import { FileStamps } from './file-stamps.js';
import { FreshImporter, ImportFailure } from './fresh-import.js';
import { loadHostModule, runCleanup, type HostCleanup, type HostFunction } from './host-module.js';
import type { DevLogger } from './log.js';
import { announceRestart, describeRestartCount, finishRestart } from './page-restart.js';
import { scopeWebView, type ScopedWebView } from './scoped-web-view.js';
import { logWebViewErrors } from './webview-errors.js';

/** Milliseconds of quiet after a change before the host module restarts. */
export const RESTART_DEBOUNCE_MS = 50;

/** One run of a host function: its scoped view, its abort signal and what it returned. */
interface Run {
  scope: ScopedWebView;
  abort: AbortController;
  cleanup: HostCleanup;
}

/**
 * Runs a host function against a WebView and, for a module, restarts it when the module or a
 * project file it imports changes.
 *
 * Restart keeps the WebView and gives each run a scoped view of it instead of recreating it on the
 * same port (no port left free for another program to take, the same token), and what the module
 * registered (event listeners, `onMessage`, `handle`, `bindCallback`, the WebSocket callback, its
 * persistent calls, observers, mounted tools) is removed before the next run whether or not the module cleans up. What the
 * scope cannot see (timers, sockets) is stopped by the cleanup the module returns, or on its
 * context's abort signal.
 *
 * As HISE reloads its webview when the script recompiles, pages with the bridge reload once the
 * new module has set up, so they start as a fresh load would (a page written for HISE calls
 * `new HiseWebSocketServer(port)` again from the replayed `callFunction`, in a page that has no
 * socket yet). Pages that set `window.__HISE_WEBVIEW_KEEP_ALIVE__ = true` stay open instead.
 */
export class HostRunner {
  readonly #webView: WebView;
  readonly #log: DevLogger;
  readonly #importer: FreshImporter;
  readonly #stamps = new FileStamps();
  #run: Run | undefined;
  #watcher: FSWatcher | undefined;
  #watched = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #stopLoggingErrors: (() => void) | undefined;
  /** Runs before each run of the host function, with the run's scoped view (what it registers goes with the run). */
  beforeRun: ((webView: WebView) => void) | undefined;

  /** @param cwd the project (where tsx is looked for when the package cannot see it) */
  constructor(webView: WebView, log: DevLogger, cwd = process.cwd()) {
    this.#webView = webView;
    this.#log = log;
    this.#importer = new FreshImporter(cwd);
  }

  /** The host module's files being watched for restarts (absolute paths). */
  get watchedFiles(): ReadonlySet<string> {
    return this.#watched;
  }

  /** Runs a host function that needs no loading (the inspector). */
  async runFunction(run: HostFunction): Promise<void> {
    this.#stopLoggingErrors ??= logWebViewErrors(this.#webView, this.#log);
    await this.#start(run);
  }

  /**
   * Loads and runs the module at `path` (absolute), then watches it.
   * @throws {DevError} when the first load or run fails; later failures are logged and retried on the next change
   */
  async runModule(path: string): Promise<void> {
    const loaded = await loadHostModule(path, this.#importer);
    this.#stopLoggingErrors ??= logWebViewErrors(this.#webView, this.#log);
    await this.#start(loaded.run, path);
    await this.#watch(path, loaded.files);
  }

  /** Stops the current run (its cleanup, then its registrations) and the watcher. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#watcher?.close();
    await this.#queue;
    await this.#stop();
    await this.#importer.release();
    this.#stopLoggingErrors?.();
  }

  async #start(run: HostFunction, path?: string): Promise<void> {
    const scope = scopeWebView(this.#webView);
    const abort = new AbortController();
    try {
      this.beforeRun?.(scope.webView);
      const cleanup = await run(scope.webView, { signal: abort.signal });
      this.#run = { scope, abort, cleanup };
    } catch (error) {
      abort.abort();
      scope.dispose();
      if (error instanceof DevError) throw error;
      const what = path === undefined ? 'the host' : `host module ${shortPath(path)}`;
      const report = await reportError(error);
      throw new DevError('HOST_MODULE_FAILED', `${what} threw: ${report.headline}`, { cause: error, details: report.details });
    }
  }

  async #stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    if (run === undefined) return;
    run.abort.abort();
    try {
      await runCleanup(run.cleanup);
    } catch (error) {
      this.#log.warn(`host module cleanup threw: ${firstLine(error)}`);
    }
    run.scope.dispose();
  }

  async #watch(path: string, files: string[]): Promise<void> {
    const restart = debounce<string>(RESTART_DEBOUNCE_MS, (changed) => {
      this.#queue = this.#queue.then(() => this.#restart(path, changed));
    });
    this.#watcher = watch([], { ignoreInitial: true });
    this.#watcher.on('all', (_event, file) => restart.push(file));
    this.#watcher.on('error', (error) => this.#log.warn(`watching the host module failed: ${firstLine(error)}`));
    this.#updateWatched(files);
    await new Promise<void>((ready) => this.#watcher!.once('ready', ready));
  }

  /** Watches the files of the latest successful load (plus those already watched, so a fix after a failed load is seen). */
  #updateWatched(files: string[]): void {
    const fresh = files.filter((file) => !this.#watched.has(file));
    for (const file of fresh) this.#watched.add(file);
    if (fresh.length > 0) this.#watcher?.add(fresh);
  }

  async #restart(path: string, changed: string[]): Promise<void> {
    if (this.#closed) return;
    const files = [...new Set(changed)];
    if (!(await this.#stamps.changed(files))) return; // the save the last restart loaded, reported again
    const names = files.map(shortPath).join(', ');
    announceRestart(this.#webView);
    await this.#stop();
    try {
      const loaded = await loadHostModule(path, this.#importer);
      this.#updateWatched(loaded.files);
      await this.#start(loaded.run, path);
    } catch (error) {
      // A file the failed load reached (a new import with the mistake) must be watched to see the fix.
      if (error instanceof DevError && error.cause instanceof ImportFailure) this.#updateWatched(error.cause.files);
      // Pages stay as they are (not reloaded into a host without its module) until a run succeeds.
      const [headline, ...details] = withDetails(error).split('\n');
      this.#log.error([`${headline} (waiting for the next change)`, ...details].join('\n'));
      return;
    }
    const pages = await finishRestart(this.#webView);
    this.#log.info(`host module restarted (${names}): ${describeRestartCount(pages)}`);
  }
}

/** A path relative to the working directory when it is under it, else as it is. */
function shortPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
