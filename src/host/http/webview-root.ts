import { realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { BRIDGE_SCRIPT_PATH } from '../../protocol/index.js';
import { injectIntoHead } from './inject-bridge.js';
import { readRegularFile } from '../regular-file.js';
import { sendFile } from './file-response.js';
import { decodeSegments, isInside } from './safe-path.js';

/** What the webview shows: a folder with its index file, or one HTML string. */
export type RootContent = { kind: 'folder'; directory: string; indexFile: string } | { kind: 'html'; html: string };

/** A path of the root that may be served, after every check. */
type Found = { kind: 'file'; path: string; stats: Stats } | { kind: 'directory' };

/**
 * Serves the webview's root over HTTP: HTML (the index file, any `.html`) with the bridge script
 * injected at the top of `<head>`, everything else through `send` (MIME types, ranges, ETags).
 * Never served: a path with a segment starting with `.` (`/.env`, `/.git/config`), anything whose
 * real path (symlinks resolved) lies outside the root or has such a segment, anything that is not
 * a regular file. Those are 404, whatever `enableCache` says.
 */
export class WebViewRoot {
  #content: RootContent | undefined;
  /** The root folder with its symlinks resolved, which every served file's real path must lie in. */
  #realDirectory: string | undefined;
  #cache = false;

  /** A folder, or an HTML file whose folder becomes the root and which becomes the index. */
  async setIndexFile(path: string): Promise<void> {
    const full = resolve(path);
    const info = await stat(full);
    const directory = info.isDirectory() ? full : dirname(full);
    const indexFile = info.isDirectory() ? 'index.html' : basename(full);
    const realDirectory = await realpath(directory);
    this.#content = { kind: 'folder', directory, indexFile };
    this.#realDirectory = realDirectory;
  }

  setHtmlContent(html: string): void {
    this.#content = { kind: 'html', html };
    this.#realDirectory = undefined;
  }

  /** `enableCache`: false sends `Cache-Control: no-store` so an edit shows on reload; true lets browsers revalidate (`no-cache` + ETag). */
  set cache(enabled: boolean) {
    this.#cache = enabled;
  }

  get directory(): string | undefined {
    return this.#content?.kind === 'folder' ? this.#content.directory : undefined;
  }

  /**
   * Serves `request` when it is for the root's content; false when nothing matched (a 404 is the caller's).
   * @param pathname the request's path as the HTTP guard parsed it (dot segments resolved, still percent-encoded)
   * @throws {HttpFailure} 416 for a `Range` outside the file, 500 when reading fails
   */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    const content = this.#content;
    if (content === undefined) return false;
    if (content.kind === 'html') {
      if (pathname !== '/' && pathname !== '/index.html') return false;
      this.#sendHtml(response, content.html);
      return true;
    }
    const found = await this.#find(content, this.#realDirectory!, pathname);
    if (found === undefined) return false;
    if (found.kind === 'directory') {
      redirectToFolder(response, pathname);
      return true;
    }
    if (extname(found.path).toLowerCase() === '.html' || extname(found.path).toLowerCase() === '.htm') {
      const html = await readRegularFile(found.path, { limit: MAX_HTML_BYTES }).then((bytes) => bytes.toString('utf8'), () => undefined); // swapped for a FIFO since the stat: 404, no hang
      if (html === undefined) return false;
      this.#sendHtml(response, html);
      return true;
    }
    return sendFile(request, response, found, this.#cache ? 'no-cache' : 'no-store');
  }

  /** The file or folder `pathname` names inside the root, or undefined when it must not be served. */
  async #find(content: { directory: string; indexFile: string }, realDirectory: string, pathname: string): Promise<Found | undefined> {
    const segments = decodeSegments(pathname);
    if (segments === undefined) return undefined;
    if (pathname.endsWith('/')) segments.push(content.indexFile);
    const real = await realpath(join(content.directory, ...segments)).catch(() => undefined); // missing, dangling, a loop
    if (real === undefined || !isInside(realDirectory, real)) return undefined;
    const stats = await stat(real).catch(() => undefined);
    if (stats?.isDirectory()) return { kind: 'directory' };
    return stats?.isFile() ? { kind: 'file', path: real, stats } : undefined; // not FIFOs, sockets, devices
  }

  #sendHtml(response: ServerResponse, html: string): void {
    const body = injectBridge(html);
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': this.#cache ? 'no-cache' : 'no-store',
    });
    response.end(body);
  }
}

/** `/sub` names a folder: the browser is sent to `/sub/` (a relative Location, so it cannot leave this host). */
function redirectToFolder(response: ServerResponse, pathname: string): void {
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  response.writeHead(301, { Location: `./${last}/`, 'Content-Length': 0 });
  response.end();
}

/** Largest HTML page the root serves (it is read whole to inject the bridge): a bigger one is 404. */
const MAX_HTML_BYTES = 64 * 1024 * 1024;
const BRIDGE_TAG = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;

/**
 * Puts the bridge script first in the page's real `<head>` (found by parsing the page as a browser
 * does, not by a pattern), so it runs before the page's own scripts and its `DOMContentLoaded`
 * replay runs before theirs. Pages without `<head>` get it where the browser's implied head starts.
 */
export function injectBridge(html: string, tag = BRIDGE_TAG): string {
  return injectIntoHead(html, tag);
}
