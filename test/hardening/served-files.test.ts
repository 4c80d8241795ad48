import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { watchedHost } from './helpers.js';
import { makeHostileRoot, rawGet, rawRequest, rawUpgrade, SECRETS } from './raw-http.js';

// Issue 10, class 4: files that must never be served, whatever `enableCache` says, and the
// headers every answer carries (no MIME sniffing; no framing by foreign sites).

/** Paths into {@link makeHostileRoot} that must be 404, in many spellings. */
const NEVER_SERVED = [
  '/.env',
  '/.git/config',
  '/.git/',
  '/a/.secret.html',
  '/.hidden/page.html',
  '/%2eenv',
  '/%2Eenv',
  '/.%65nv',
  '/a/%2esecret.html',
  '/.git%2Fconfig',
  '/a/..%2F.env',
  '/a%2F..%2F.env',
  '/a/%2e%2e/.env',
  '/a/%2e%2e%2f.env',
  '/sub/../.env',
  '/x/../../.env',
  '/%2e%2e/outside/secret.txt',
  '/..%5c.env',
  '/.env%00.js',
  '/out.txt',
  '/out-dir/secret.txt',
  '/to-env.txt',
  '/dangling.js',
  '/.%23index.html',
  '/.env/',
];

describe.each([false, true])('enableCache = %s', (cache) => {
  it.each(NEVER_SERVED)('%s → 404, no secret in the answer', async (path) => {
    const { wv, port, errors } = await watchedHost();
    wv.enableCache = cache;
    await wv.setIndexFile(makeHostileRoot().root);
    for (const method of ['GET', 'HEAD']) {
      const answer = await rawRequest(port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      expect(answer.status).toBe(404);
      for (const secret of SECRETS) expect(answer.body).not.toContain(secret);
    }
    expect(errors).toEqual([]);
  });

  it('what the root holds is served: HTML with the bridge, assets, symlinks that stay inside, folders redirect', async () => {
    const { wv, port } = await watchedHost();
    wv.enableCache = cache;
    await wv.setIndexFile(makeHostileRoot().root);
    const index = await rawGet(port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('hise-webview-bridge.js');
    expect((await rawGet(port, '/sub/inner.html')).body).toContain('inner');
    expect((await rawGet(port, '/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await rawGet(port, '/alias.js')).body).toBe('export const app = 1;\n');
    expect((await rawGet(port, '/data.bin')).headers['cache-control']).toBe(cache ? 'no-cache' : 'no-store');
    const folder = await rawGet(port, '/sub');
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe('./sub/');
  });
});

it('a root reached through a symlink serves its files, and nothing beside them', async () => {
  const { root } = makeHostileRoot();
  const { symlinkSync } = await import('node:fs');
  const link = `${root}-link`;
  symlinkSync(root, link);
  const { wv, port } = await watchedHost();
  await wv.setIndexFile(link);
  expect((await rawGet(port, '/app.js')).status).toBe(200);
  expect((await rawGet(port, '/out.txt')).status).toBe(404);
  expect((await rawGet(port, '/.env')).status).toBe(404);
});

it('setHtmlContent: only / and /index.html; dot paths are 404', async () => {
  const { wv, port } = await watchedHost();
  wv.setHtmlContent('<p>inline');
  expect((await rawGet(port, '/')).status).toBe(200);
  for (const path of ['/.env', '/.git/config', '/.index.html', '/%2eindex.html']) expect((await rawGet(port, path)).status).toBe(404);
});

describe('headers on every answer', () => {
  it('X-Content-Type-Options: nosniff and frame-ancestors on 200, 206, 301, 304, 400, 403, 404, 416 and the scripts', async () => {
    const { wv, port } = await watchedHost({ token: 'auto', allowedOrigins: ['https://my.app'] });
    await wv.setIndexFile(makeHostileRoot().root);
    const etag = (await rawGet(port, '/data.bin')).headers.etag!;
    const answers = [
      await rawGet(port, '/'),
      await rawGet(port, '/data.bin', ['Range: bytes=0-1']),
      await rawGet(port, '/sub'),
      await rawGet(port, '/data.bin', [`If-None-Match: ${etag}`]),
      await rawGet(port, '//%5B'),
      await rawGet(port, '/', ['Host: evil.example']),
      await rawGet(port, '/.env'),
      await rawGet(port, '/data.bin', ['Range: bytes=9-2']),
      await rawGet(port, '/hise-webview-bridge.js', ['Sec-Fetch-Site: same-origin']),
      await rawGet(port, '/hise-webview-bridge.js', ['Sec-Fetch-Site: cross-site']),
      await rawGet(port, '/hise-webview-client.js'),
      await rawGet(port, '/hisewebsocket-min.js'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 206, 301, 304, 400, 403, 404, 416, 200, 403, 200, 200]);
    for (const answer of answers) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      const csp = answer.headers['content-security-policy']!;
      expect(csp).toMatch(/^frame-ancestors 'self' /);
      expect(csp).toContain('http://localhost:*');
      expect(csp).toContain('https://my.app');
    }
  });

  it('allowed origins that are not plain origins never reach the header', async () => {
    const { wv, port } = await watchedHost({ allowedOrigins: ['null', "https://x.test; script-src 'none'", 'https://ok.test'] });
    wv.setHtmlContent('<p>x');
    const csp = (await rawGet(port, '/')).headers['content-security-policy']!;
    expect(csp).toContain('https://ok.test');
    expect(csp).not.toContain('null');
    expect(csp).not.toContain('script-src');
  });

  it('an upgrade refused for its Host is a plain status line (an Origin refusal is a close code: refusals.test.ts)', async () => {
    const { port } = await watchedHost();
    expect((await rawUpgrade(port, '/', [`Host: evil.example:${port}`, 'Origin: https://evil.example'])).statusLine).toBe('HTTP/1.1 403 Forbidden');
  });
});

describe('framing in Chromium', () => {
  let browser: Browser;
  let server: PageServer | undefined;
  beforeAll(async () => {
    browser = await launchChromium([...WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS, '--host-resolver-rules=MAP evil.test 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Opens a page of `site` (a page server on another port) that frames the webview; resolves with whether the webview loaded in it. */
  async function framed(site: 'evil.test' | '127.0.0.1' | 'localhost') {
    const host = await watchedHost();
    host.wv.setHtmlContent('<!doctype html><html><head></head><body><p id="ui">controls</p></body></html>');
    server = await servePages({ '/frame.html': `<!doctype html><body><iframe src="http://localhost:${host.port}/"></iframe></body>` });
    const url = new URL(server.url('/frame.html'));
    url.hostname = site;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const connected = nextEvent(host.wv, 'connect').then(() => true);
      // Either outcome is waited for by its own sign: Chromium's report of the refusal, or our page in the frame.
      const refused = page.waitForEvent('console', { predicate: (m) => m.text().includes('frame-ancestors'), timeout: 20_000 }).then(() => false);
      await page.goto(url.href);
      const frame = page.frames().find((f) => f !== page.mainFrame())!;
      const shown = frame.waitForSelector('#ui', { timeout: 20_000 }).then(() => true);
      const loaded = await Promise.race([refused, shown]);
      refused.catch(() => undefined);
      shown.catch(() => undefined);
      const bridgeConnected = loaded ? await connected : false;
      return { loaded, bridgeConnected, pages: host.wv.pages.length };
    } finally {
      await context.close();
    }
  }

  it('a foreign site cannot frame the webview (frame-ancestors)', async () => {
    expect(await framed('evil.test')).toEqual({ loaded: false, bridgeConnected: false, pages: 0 });
  });

  it.each(['127.0.0.1', 'localhost'] as const)('a loopback page on another port (a dev server) may: %s', async (site) => {
    expect(await framed(site)).toMatchObject({ loaded: true, bridgeConnected: true });
  });
});
