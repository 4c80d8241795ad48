import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { WebView } from '../host/index.js';
import { displayPath, reportError } from './error-report.js';
import { DevError } from './errors.js';
import { FreshImporter, ImportFailure } from './fresh-import.js';
import { didYouMeanPath } from './suggest.js';

/** What a host module's function gets besides the WebView. */
export interface HostContext {
  /** Aborted when the module is about to be restarted or the server stops: stop timers and streams here. */
  readonly signal: AbortSignal;
}

/** What a host module's function may return: nothing, a cleanup function, or an object with `dispose`. */
export type HostCleanup = void | undefined | (() => unknown) | { dispose(): unknown };

/** The function a host module exports (as default, or named `host`). */
export type HostFunction = (webView: WebView, context: HostContext) => HostCleanup | Promise<HostCleanup>;

/** A host module loaded fresh, with the local files it imported (to watch them). */
export interface LoadedHostModule {
  run: HostFunction;
  /** Absolute paths of the module and the project files it imported (not node_modules). */
  files: string[];
}

/** Resolves a host module path against `cwd` and checks that the file exists. */
export async function resolveHostModule(path: string, cwd = process.cwd()): Promise<string> {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new DevError('HOST_MODULE_NOT_FOUND', `host module not found: ${path}${info === undefined ? await didYouMeanPath(path, absolute) : ' (a folder, not a file)'}`);
  }
  return absolute;
}

/**
 * Imports `path` (TypeScript or JavaScript) as a new module graph each time (see {@link FreshImporter}),
 * so an edited module or any file it imports is evaluated afresh, in ESM and CommonJS projects.
 * @param importer the importer of the previous load, which lets that graph go
 * @throws {DevError} `TSX_NOT_INSTALLED`; `HOST_MODULE_FAILED` (file:line:column, message, stack and
 *   code frame) when it does not load; `HOST_MODULE_INVALID` without a function
 */
export async function loadHostModule(path: string, importer = new FreshImporter()): Promise<LoadedHostModule> {
  let loaded: { exports: Record<string, unknown>; files: string[] };
  try {
    loaded = await importer.import(path);
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    const report = await reportError(error.cause, error.files);
    throw new DevError('HOST_MODULE_FAILED', `host module ${displayPath(path)} failed to load: ${report.headline}`, {
      cause: error, // an ImportFailure: what the module threw, and the files to watch for the fix
      details: report.details,
    });
  }
  const run = pickFunction(loaded.exports);
  if (run === undefined) {
    throw new DevError('HOST_MODULE_INVALID', `host module ${displayPath(path)} must export a default function (or one named host) that receives the WebView`);
  }
  return { run, files: loaded.files };
}

/** Calls a cleanup a host function returned, whichever shape it has. */
export async function runCleanup(cleanup: HostCleanup): Promise<void> {
  if (typeof cleanup === 'function') await cleanup();
  else if (cleanup !== undefined && cleanup !== null && typeof cleanup.dispose === 'function') await cleanup.dispose();
}

function pickFunction(exports: Record<string, unknown>): HostFunction | undefined {
  const candidates = [exports.default, exports.host, (exports.default as Record<string, unknown> | undefined)?.default];
  return candidates.find((candidate): candidate is HostFunction => typeof candidate === 'function');
}
