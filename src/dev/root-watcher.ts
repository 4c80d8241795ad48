import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { debounce } from './debounce.js';
import { firstLine } from './errors.js';
import type { DevLogger } from './log.js';

/** Milliseconds of quiet after a change under the root before pages reload. */
export const RELOAD_DEBOUNCE_MS = 50;

/** True for paths the reload ignores: anything under node_modules, and dotfiles or dot-folders. */
export function isIgnoredPath(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..')) return false;
  return rel.split(sep).some((part) => part === 'node_modules' || part.startsWith('.'));
}

/**
 * Calls `reload` (debounced) with the paths, relative to `root`, of files that changed under it,
 * except those `skip` claims (the host module's own files, which restart the host instead).
 * Resolves once the watcher is ready, so a change made after it resolves is seen.
 */
export async function watchRoot(
  root: string,
  reload: (changed: string[]) => void,
  log: DevLogger,
  skip: (file: string) => boolean = () => false,
): Promise<FSWatcher> {
  const batch = debounce<string>(RELOAD_DEBOUNCE_MS, (changed) => {
    const files = [...new Set(changed)].filter((file) => !skip(file));
    if (files.length > 0) reload(files.map((file) => relative(root, file)));
  });
  const watcher = watch(root, { ignoreInitial: true, ignored: (path) => isIgnoredPath(root, path) });
  watcher.on('all', (_event, file) => batch.push(file));
  watcher.on('error', (error) => log.warn(`watching ${root} failed: ${firstLine(error)}`));
  watcher.on('close' as 'all', () => batch.cancel());
  await new Promise<void>((ready) => watcher.once('ready', ready));
  return watcher;
}
