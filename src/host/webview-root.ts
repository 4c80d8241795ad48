import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import sirv from 'sirv';
import { BRIDGE_SCRIPT_PATH } from '../protocol/index.js';
import { injectIntoHead } from './inject-bridge.js';

/** What the webview shows: a folder with its index file, or one HTML string. */
export type RootContent = { kind: 'folder'; directory: string; indexFile: string } | { kind: 'html'; html: string };

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * Serves the webview's root over HTTP: HTML (the index file, any `.html`) with the bridge script
 * injected at the top of `<head>`, everything else through `sirv` with its MIME types. Paths are
 * resolved inside the root only.
 */
export class WebViewRoot {
  #content: RootContent | undefined;
  #static: Middleware | undefined;
  #cache = false;

  /** A folder, or an HTML file whose folder becomes the root and which becomes the index. */
  async setIndexFile(path: string): Promise<void> {
    const full = resolve(path);
    const info = await stat(full);
    const directory = info.isDirectory() ? full : dirname(full);
    const indexFile = info.isDirectory() ? 'index.html' : basename(full);
    this.#content = { kind: 'folder', directory, indexFile };
    this.#static = undefined;
  }

  setHtmlContent(html: string): void {
    this.#content = { kind: 'html', html };
    this.#static = undefined;
  }

  /** `enableCache`: false sends `Cache-Control: no-store` so an edit shows on reload. */
  set cache(enabled: boolean) {
    this.#cache = enabled;
    this.#static = undefined;
  }

  get directory(): string | undefined {
    return this.#content?.kind === 'folder' ? this.#content.directory : undefined;
  }

  /** Serves `request` when it is for the root's content; false when nothing matched (a 404 is the caller's). */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    const content = this.#content;
    if (content === undefined) return false;
    if (content.kind === 'html') {
      if (pathname !== '/' && pathname !== '/index.html') return false;
      this.#sendHtml(response, content.html);
      return true;
    }
    const file = this.#resolveInside(content, pathname);
    if (file === undefined) return false;
    if (extname(file).toLowerCase() === '.html' || extname(file).toLowerCase() === '.htm') {
      const html = await readFile(file, 'utf8').catch(() => undefined);
      if (html === undefined) return false;
      this.#sendHtml(response, html);
      return true;
    }
    return new Promise((done) => this.#staticFor(content.directory)(request, response, () => done(false)));
  }

  #resolveInside(content: { directory: string; indexFile: string }, pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const relative = decoded.endsWith('/') ? decoded + content.indexFile : decoded;
    const file = resolve(join(content.directory, relative));
    return file === content.directory || file.startsWith(content.directory + sep) ? file : undefined;
  }

  #staticFor(directory: string): Middleware {
    this.#static ??= sirv(directory, {
      dev: !this.#cache, // dev: no caching of file lookups and `Cache-Control: no-store`-like behaviour
      etag: true,
      dotfiles: false,
      setHeaders: (response) => {
        if (!this.#cache) response.setHeader('Cache-Control', 'no-store');
      },
    }) as Middleware;
    return this.#static;
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

const BRIDGE_TAG = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;

/**
 * Puts the bridge script first in the page's real `<head>` (found by parsing the page as a browser
 * does, not by a pattern), so it runs before the page's own scripts and its `DOMContentLoaded`
 * replay runs before theirs. Pages without `<head>` get it where the browser's implied head starts.
 */
export function injectBridge(html: string, tag = BRIDGE_TAG): string {
  return injectIntoHead(html, tag);
}
