import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebViewOptions } from '../../src/host/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { RawPage, watchedHost } from './helpers.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';

// Issue 10, class 2: any web site can make a page whose Origin is `null` (a sandboxed iframe, a
// `data:` frame). The host refuses it unless `allowedOrigins` lists 'null'. The framing page is
// served as http://evil.test (mapped to 127.0.0.1) and Chromium's own Local Network Access checks
// are off, so what refuses is the host.

/** A frame's script: opens a WebSocket to the host and tells the parent how that ended. */
const probe = (port: number) =>
  `<script>const s=new WebSocket('ws://localhost:${port}/');s.onopen=()=>parent.postMessage('open','*');s.onclose=(e)=>parent.postMessage('closed '+e.code,'*');</script>`;

/**
 * The parent's record of its frame's messages, installed before the frame exists: `opened` once the
 * socket opened, `closed` with the close code (a refused socket opens, then closes with 44xx).
 */
const LISTEN = `<script>const w=(k)=>new Promise((r)=>addEventListener('message',(e)=>{if(String(e.data).startsWith(k))r(String(e.data))}));window.opened=w('open');window.ended=w('closed');</script>`;

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
  const opened = page.evaluate(() => (window as unknown as { opened: Promise<string> }).opened);
  const closed = page.evaluate(() => (window as unknown as { ended: Promise<string> }).ended);
  // A test awaits one of the two; the other ends with its context, and that end is no failure.
  opened.catch(() => undefined);
  closed.catch(() => undefined);
  return { ...host, opened, closed, context };
}

describe('Origin: null', () => {
  it.each(['/sandboxed.html', '/data.html'])('%s: refused by default (closed with 4403, refused origin null), nothing reaches the host', async (path) => {
    const { wv, refused, context, closed } = await frameOutcome({}, path);
    try {
      expect(await closed).toBe(`closed ${RefusalCode.Origin}`);
      expect(refused).toMatchObject([{ reason: 'origin', origin: 'null' }]);
      expect(wv.pages).toHaveLength(0);
    } finally {
      await context.close();
    }
  });

  it.each(['/sandboxed.html', '/data.html'])("%s: allowedOrigins ['null'] admits it (the opt-in)", async (path) => {
    const { wv, refused, context, opened } = await frameOutcome({ allowedOrigins: ['null'] }, path);
    try {
      expect(await opened).toBe('open');
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
      const refusal = await refusalOf(new RawPage(port, { query, headers: { Origin: 'null' } }).socket);
      expect(refusal).toMatchObject({ code: RefusalCode.Origin, reason: expect.stringContaining('--allow-file-pages'), messages: 0 });
      expect(refused).toMatchObject([{ reason: 'origin', origin: 'null' }]);
      expect(wv.pages).toHaveLength(0);
    }
    const { wv, port } = await watchedHost({ allowedOrigins: ['null'] });
    const connected = nextEvent(wv, 'connect');
    await new RawPage(port, { headers: { Origin: 'null' } }).opened;
    await connected;
  });
});
