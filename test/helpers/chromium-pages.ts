import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import { servePages, type PageServer } from './page-server.js';

/** One Chromium and one page server for a test file, started before its tests and closed after them. */
export interface ChromiumPages {
  readonly browser: Browser;
  /** Serves `html` as a new page (`/<name>-<n>.html`) and opens a tab in a fresh context, not navigated yet: attach listeners, then `page.goto(url)`. */
  open(name: string, html: string): Promise<{ page: BrowserPage; url: string }>;
}

/** Registers the file's `beforeAll`/`afterAll` for a browser and a page server; call at the top level of a test file. */
export function useChromiumPages(): ChromiumPages {
  const files: Record<string, string> = {};
  let browser: Browser | undefined;
  let server: PageServer | undefined;
  let count = 0;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await servePages(files);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    async open(name, html) {
      const path = `/${name}-${++count}.html`;
      files[path] = html;
      const page = await (await browser!.newContext()).newPage();
      return { page, url: server!.url(path) };
    },
  };
}
