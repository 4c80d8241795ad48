import { stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WebView } from '../host/index.js';
import { DevError, firstLine } from './errors.js';

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
    throw new DevError('HOST_MODULE_NOT_FOUND', `host module not found: ${path}`);
  }
  return absolute;
}

/**
 * Imports `path` (TypeScript or JavaScript) with tsx, as a new module graph each time, so an edited
 * module or any file it imports is evaluated afresh. (Old graphs stay in memory: fine for a dev server.)
 * @throws {DevError} `HOST_MODULE_FAILED` when it does not load, `HOST_MODULE_INVALID` without a function
 */
export async function loadHostModule(path: string): Promise<LoadedHostModule> {
  const files = new Set<string>([path]);
  let exports: Record<string, unknown>;
  try {
    const { tsImport } = await import('tsx/esm/api'); // esbuild and the loader only when a module is used
    exports = (await tsImport(pathToFileURL(path).href, {
      parentURL: import.meta.url,
      onImport: (url) => {
        const file = localFile(url);
        if (file !== undefined) files.add(file);
      },
    })) as Record<string, unknown>;
  } catch (error) {
    throw new DevError('HOST_MODULE_FAILED', `host module ${path} failed to load: ${firstLine(error)}`, { cause: error });
  }
  const run = pickFunction(exports);
  if (run === undefined) {
    throw new DevError('HOST_MODULE_INVALID', `host module ${path} must export a default function (or one named host) that receives the WebView`);
  }
  return { run, files: [...files] };
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

/** The file behind a module URL when it is a project file (not a dependency under node_modules). */
function localFile(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url.split('?')[0] ?? url);
  return file.split(sep).includes('node_modules') ? undefined : file;
}
