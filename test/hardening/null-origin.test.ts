import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebViewOptions } from '../../src/host/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { RawPage, watchedHost } from './helpers.js';

// Issue 10, class 2: any web site can make a page whose Origin is `null` (a sandboxed iframe, a
// `data:` frame). The host refuses it unless `allowedOrigins` lists 'null'. The framing page is
// served as http://evil.test (mapped to 127.0.0.1) and Chromium's own Local Network Access checks
// are off, so what refuses is the host.

/** A frame's script: opens a WebSocket to the host and tells the parent how that ended. */
const probe = (port: number) =>
  `<script>const s=new WebSocket('ws://localhost:${port}/');s.onopen=()=>parent.postMessage('open','*');s.onclose=()=>parent.postMessage('closed','*');</script>`;

/** The parent's record of its frame's message, installed before the frame exists. */
const LISTEN = `<script>window.outcome=new Promise((r)=>addEventListener('message',(e)=>r(String(e.data)),{once:true}));</script>`;

const pages = (port: number): Record<string, string> => ({
  '/sandboxed.html': `<!doctype html><body>${LISTEN}<iframe sandbox="allow-scripts" srcdoc="${probe(port).replaceAll('"', '&quot;')}"></iframe></body>`,
  '/data.html': `<!doctype html><body>${LISTEN}<iframe src="data:text/html,${encodeURIComponent(probe(port))}"></iframe></body>`,
});

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

/** Opens `path` of a foreign site whose frame dials the host; resolves with what the frame saw. */
async function frameOutcome(options: WebViewOptions, path: string) {
  const host = await watchedHost(options);
  server = await servePages(pages(host.port));
  const context = await browser.newContext();
  const page = await context.newPage();
  const url = new URL(server.url(path));
  url.hostname = 'evil.test';
  await page.goto(url.href);
  const outcome = await page.evaluate(() => (window as unknown as { outcome: Promise<string> }).outcome);
  return { ...host, outcome, context };
}

describe('Origin: null', () => {
  it.each(['/sandboxed.html', '/data.html'])('%s: refused by default (403, refused origin null), nothing reaches the host', async (path) => {
    const { wv, refused, context, outcome } = await frameOutcome({}, path);
    try {
      expect(outcome).toBe('closed');
      expect(refused).toMatchObject([{ reason: 'origin', origin: 'null' }]);
      expect(wv.pages).toHaveLength(0);
    } finally {
      await context.close();
    }
  });

  it.each(['/sandboxed.html', '/data.html'])("%s: allowedOrigins ['null'] admits it (the opt-in)", async (path) => {
    const { wv, refused, context, outcome } = await frameOutcome({ allowedOrigins: ['null'] }, path);
    try {
      expect(outcome).toBe('open');
      expect(refused).toEqual([]);
      await until(() => wv.pages.length === 1);
      expect(wv.pages[0]!.origin).toBe('null');
    } finally {
      await context.close();
    }
  });

  it('over a raw socket too, with and without a token', async () => {
    for (const token of [undefined, 'secret']) {
      const { wv, port, refused } = await watchedHost({ token });
      const query = token === undefined ? '' : `?token=${token}`;
      await expect(new RawPage(port, { query, headers: { Origin: 'null' } }).opened).rejects.toThrow('HTTP 403');
      expect(refused).toMatchObject([{ reason: 'origin', origin: 'null' }]);
      expect(wv.pages).toHaveLength(0);
    }
    const { wv, port } = await watchedHost({ allowedOrigins: ['null'] });
    const connected = nextEvent(wv, 'connect');
    await new RawPage(port, { headers: { Origin: 'null' } }).opened;
    await connected;
  });
});
