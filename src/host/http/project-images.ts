import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendFile, type CheckedFile } from './file-response.js';
import { respondText } from './guard.js';
import { isInside } from './safe-path.js';

/** HISE's wildcard for the project folder in webview URLs (`<img src="{PROJECT_FOLDER}knob.png">`). */
export const PROJECT_FOLDER_WILDCARD = '{PROJECT_FOLDER}';

/**
 * Where a decoded request path refers to the project's images: the wildcard at the start of a
 * segment (a page in a sub-folder, or a stylesheet's `url(...)`, asks for `/sub/{PROJECT_FOLDER}x.png`),
 * followed by a relative path. `undefined` when the path is no such reference.
 */
export function projectImagePath(decodedPath: string): string | undefined {
  const at = decodedPath.indexOf('/' + PROJECT_FOLDER_WILDCARD);
  if (at === -1) return undefined;
  return decodedPath.slice(at + 1 + PROJECT_FOLDER_WILDCARD.length);
}

/**
 * Whether `relative` stays inside the folder it is joined to and names no hidden file: no segment
 * that is empty or starts with a dot (so no `.`, `..` or dotfile), no backslashes, no NULs.
 */
function isSafeRelative(relative: string): boolean {
  if (relative === '' || relative.includes('\\') || relative.includes('\0')) return false;
  return relative.split('/').every((segment) => segment !== '' && !segment.startsWith('.'));
}

/**
 * Serves HISE's `{PROJECT_FOLDER}name.png` references from the project's images folder (HISE
 * resolves them through the project's image pool since September 2025). The root's rules apply:
 * no dot segments, nothing outside the folder, symbolic links followed only when their target is
 * inside it too, dotfiles hidden; MIME types, ranges, ETags and HEAD as for the root's files
 * ({@link sendFile}).
 */
export class ProjectImages {
  #folder: string | undefined;
  readonly #cache: () => boolean;

  /** @param cache whether responses may be cached (the WebView's `enableCache`); otherwise `no-store` */
  constructor(cache: () => boolean) {
    this.#cache = cache;
  }

  /** The folder references resolve in (its real path), or `undefined` when none is set. */
  get folder(): string | undefined {
    return this.#folder;
  }

  /**
   * Sets the images folder; `undefined` stops serving references.
   * @throws when `path` is not an existing folder
   */
  async setFolder(path: string | undefined): Promise<void> {
    if (path === undefined) {
      this.#folder = undefined;
      return;
    }
    const folder = await realpath(path);
    if (!(await stat(folder)).isDirectory()) throw new Error(`${path} is not a folder`);
    this.#folder = folder;
  }

  /**
   * Answers `request` when `pathname` is a `{PROJECT_FOLDER}` reference and a folder is set: the
   * file, or 404 when it is missing or unsafe. False otherwise (the root may still answer).
   */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const folder = this.#folder;
    const relative = projectImagePath(decoded);
    if (folder === undefined || relative === undefined) return false;
    const file = isSafeRelative(relative) ? await this.#realFileInside(folder, relative) : undefined;
    if (file === undefined || !(await sendFile(request, response, file, this.#cache() ? 'no-cache' : 'no-store'))) respondText(response, 404, 'no such project image');
    return true;
  }

  /** The real path of `folder/relative` when it is a file inside `folder` (after following links). */
  async #realFileInside(folder: string, relative: string): Promise<CheckedFile | undefined> {
    try {
      const path = await realpath(join(folder, relative));
      if (path === folder || !isInside(folder, path)) return undefined; // also: no link to a dotfile
      const stats = await stat(path);
      return stats.isFile() ? { path, stats } : undefined;
    } catch {
      return undefined;
    }
  }
}
