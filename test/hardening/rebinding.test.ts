import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { openPage, watchedHost } from './helpers.js';
import { rawGet, rawUpgrade } from './raw-http.js';

// Issue 10, class 3: DNS rebinding. A web site whose name is made to resolve to 127.0.0.1 is
// same-origin with the host as far as the browser knows, but it still sends its own name in
// `Host`. The host answers only Host names that are this machine (with its port) or allowed.

describe('Host on every request and upgrade (raw sockets)', () => {
  const allowed = (port: number) => [`localhost:${port}`, `127.0.0.1:${port}`, `127.1.2.3:${port}`, `[::1]:${port}`, `app.localhost:${port}`, `LOCALHOST:${port}`];
  const refused = (port: number) => [
    `evil.example:${port}`,
    'evil.example',
    `localhost.evil.example:${port}`,
    `127.0.0.1.nip.io:${port}`,
    `localhost:${port + 1 === 65536 ? 1 : port + 1}`,
    'localhost',
    `192.168.1.10:${port}`,
    `[::ffff:7f00:1]:${port}`,
    `0.0.0.0:${port}`,
    `localhost.:${port}`,
  ];

  it('loopback names and addresses with the host port are served, for pages, the bridge and upgrades', async () => {
    const { wv, port, refused: refusals } = await watchedHost({ token: 'auto' });
    wv.setHtmlContent('<p>mine');
    for (const host of allowed(port)) {
      expect((await rawGet(port, '/', [`Host: ${host}`])).status, host).toBe(200);
      expect((await rawGet(port, '/hise-webview-bridge.js', [`Host: ${host}`, 'Sec-Fetch-Site: same-origin'])).status, host).toBe(200);
      expect((await rawUpgrade(port, `/?token=${wv.token}`, [`Host: ${host}`])).status, host).toBe(101);
    }
    expect(refusals).toEqual([]);
  });

  it('any other Host gets 403 and a refused event with reason host; the token is never in the answer', async () => {
    const { wv, port, refused: refusals } = await watchedHost({ token: 'auto' });
    wv.setHtmlContent('<p>mine');
    for (const host of refused(port)) {
      for (const answer of [
        await rawGet(port, '/', [`Host: ${host}`]),
        await rawGet(port, '/hise-webview-bridge.js', [`Host: ${host}`, 'Sec-Fetch-Site: same-origin']),
        await rawGet(port, '/hise-webview-client.js', [`Host: ${host}`]),
        await rawUpgrade(port, `/?token=${wv.token}`, [`Host: ${host}`, `Origin: http://${host}`]),
      ]) {
        expect(answer.status, host).toBe(403);
        expect(answer.body).not.toContain(wv.token!);
      }
    }
    expect(refusals).toHaveLength(refused(port).length * 4);
    expect(refusals.every((r) => r.reason === 'host')).toBe(true);
    expect(wv.pages).toHaveLength(0);
  });

  it('an absolute-form target names the host too: a foreign one is refused even under a loopback Host', async () => {
    const { wv, port, refused: refusals } = await watchedHost();
    wv.setHtmlContent('<p>mine');
    expect((await rawGet(port, 'http://evil.example/', [`Host: 127.0.0.1:${port}`])).status).toBe(403);
    expect((await rawUpgrade(port, `http://evil.example:${port}/`)).status).toBe(403);
    expect(refusals.map((r) => r.reason)).toEqual(['host', 'host']);
    expect(refusals.map((r) => r.host)).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`]);
    await rawGet(port, '/', ['Host: evil.example:1']);
    expect(refusals[2]).toMatchObject({ reason: 'host', host: 'evil.example:1', remoteAddress: '127.0.0.1' });
  });

  it('allowedHosts admits names (any port), .names with their subdomains; true admits all', async () => {
    const { wv, port } = await watchedHost({ allowedHosts: ['my.test', '.apps.test', '192.168.1.10', '[::1]'] });
    wv.setHtmlContent('<p>mine');
    for (const host of ['my.test', `my.test:${port}`, 'MY.TEST:8080', 'apps.test', `a.b.apps.test:${port}`, '192.168.1.10:8080', '[::1]:1']) {
      expect((await rawGet(port, '/', [`Host: ${host}`])).status, host).toBe(200);
    }
    for (const host of ['evil.test', 'my.test.evil', 'xapps.test', `notmy.test:${port}`]) {
      expect((await rawGet(port, '/', [`Host: ${host}`])).status, host).toBe(403);
    }
    const open = await watchedHost({ allowedHosts: true });
    open.wv.setHtmlContent('<p>open');
    expect((await rawGet(open.port, '/', ['Host: anything.example'])).status).toBe(200);
    await openPage(open.wv, open.port, { headers: { Host: 'anything.example' } });
  });

  it.each([[['localhost:80']], [['http://my.test']], [['']], [['.']], [[7]], ['yes'], [['my.test/x']], [['*.my.test']], [['[::1]:80']]])('allowedHosts %j is refused with INVALID_OPTION', async (value) => {
    await expect(watchedHost({ allowedHosts: value as never })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('a rebound page in Chromium (evil.test mapped to 127.0.0.1)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium([...WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS, '--host-resolver-rules=MAP evil.test 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('cannot read the webview, the bridge or its token; the real page still works', async () => {
    const { wv, port, refused } = await watchedHost({ token: 'auto' });
    wv.setHtmlContent('<!doctype html><html><head></head><body>secret webview</body></html>');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`http://evil.test:${port}/`);
      expect(response!.status()).toBe(403);
      expect(await page.content()).not.toContain('secret webview');
      // Same-origin requests from the rebound page, as a rebinding attack makes them.
      const reads = await page.evaluate(async () => {
        const bridge = await fetch('/hise-webview-bridge.js');
        return { status: bridge.status, text: await bridge.text() };
      });
      expect(reads.status).toBe(403);
      expect(reads.text).not.toContain(wv.token!);
      expect(refused.length).toBeGreaterThanOrEqual(2);
      expect(refused.every((r) => r.reason === 'host')).toBe(true);
      expect(wv.pages).toHaveLength(0);

      // The same host under its own name: served, and the page connects.
      const connected = nextEvent(wv, 'connect');
      await page.goto(`http://localhost:${port}/`);
      await connected;
    } finally {
      await context.close();
    }
  });

  it('the bridge gives the token only to sockets for the host: its own name or loopback, and its port', async () => {
    const { wv, port } = await watchedHost({ token: 'auto' });
    wv.setHtmlContent('<!doctype html><html><head></head><body>x</body></html>');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const connected = nextEvent(wv, 'connect');
      await page.goto(`http://127.0.0.1:${port}/`);
      await connected;
      const urls = await page.evaluate((p) => {
        const targets = [`ws://127.0.0.1:${p}/`, `ws://localhost:${p}/`, `ws://[::1]:${p}/`, `ws://evil.test:${p}/`, `ws://127.0.0.1:${p === 65535 ? 1 : p + 1}/`, `wss://evil.test:${p}/`];
        return targets.map((target) => {
          const socket = new WebSocket(target);
          socket.onerror = () => undefined;
          const url = socket.url;
          socket.close();
          return url;
        });
      }, port);
      const token = `token=${wv.token}`;
      expect(urls.map((url) => url.includes(token))).toEqual([true, true, true, false, false, false]);
    } finally {
      await context.close();
    }
  });
});
