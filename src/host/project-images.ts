import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join, relative, sep } from 'node:path';
import { finished } from 'node:stream';
import send from 'send';
import { HttpFailure } from './http-failure.js';

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
 * resolves them through the project's image pool since September 2025), with the root's rules:
 * nothing outside the folder (symbolic links followed only to regular files inside it, not through
 * a dot segment), no dotfiles; MIME types, ranges, ETags and HEAD through `send`.
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
   * @param pathname the request's path, still percent-encoded
   * @throws {HttpFailure} 416 for a `Range` outside the file, 500 when reading fails
   */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    const folder = this.#folder;
    if (folder === undefined) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const relativePath = projectImagePath(decoded);
    if (relativePath === undefined) return false;
    const file = isSafeRelative(relativePath) ? await realFileInside(folder, relativePath) : undefined;
    if (file === undefined || !(await this.#sendFile(request, response, file))) notFound(response);
    return true;
  }

  /** Streams `path` through `send`; false when it vanished since it was found. */
  #sendFile(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
    return new Promise((done, fail) => {
      const stream = send(request, `/${encodeURIComponent(basename(path))}`, {
        root: dirname(path),
        dotfiles: 'allow', // checked before, on the reference and on the real path
        index: false,
        cacheControl: false,
        etag: true,
        lastModified: true,
      });
      stream.on('headers', (res: ServerResponse) => res.setHeader('Cache-Control', this.#cache() ? 'no-cache' : 'no-store'));
      stream.on('error', (error: { status?: number; headers?: Record<string, string> } & Error) => {
        if (error.status === 404) done(false);
        else if (error.status === 412) {
          response.writeHead(412).end();
          done(true);
        } else if (error.status === 416) {
          fail(new HttpFailure(416, 'RANGE_NOT_SATISFIABLE', `Range ${JSON.stringify(request.headers.range)} is outside ${basename(path)}`, error.headers ?? {}));
        } else {
          const failure = new HttpFailure(500, 'HTTP_HANDLER_FAILED', `reading ${basename(path)} failed: ${error.message}`);
          failure.cause = error;
          fail(failure);
        }
      });
      finished(response, () => done(true));
      stream.pipe(response);
    });
  }
}

/** The real path of `folder/relative` when it is a regular file inside `folder`, reached without a dot segment. */
async function realFileInside(folder: string, relativePath: string): Promise<string | undefined> {
  const file = await realpath(join(folder, relativePath)).catch(() => undefined); // missing, dangling, a loop
  if (file === undefined || !file.startsWith(folder + sep)) return undefined;
  if (relative(folder, file).split(sep).some((segment) => segment.startsWith('.'))) return undefined;
  return (await stat(file).catch(() => undefined))?.isFile() ? file : undefined;
}

function notFound(response: ServerResponse): void {
  const text = 'no such project image';
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
