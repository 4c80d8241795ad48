import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../src/host/index.js';
import { isSessionId } from '../../src/protocol/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { servePages, type PageServer } from '../helpers/page-server.js';

// The modern client makes its session id with crypto.getRandomValues, which (unlike randomUUID)
// exists in insecure contexts too: a page served over plain http from a name that is not loopback.
// Chromium maps that name to 127.0.0.1, so the page is insecure but still reaches the host.

const INSECURE_HOST = 'insecure-page.test';
let browser: Browser;
let server: PageServer;
const files: Record<string, string> = {
  '/client.js': readFileSync(new URL('../../dist/hise-webview-client.js', import.meta.url), 'utf8'),
};
beforeAll(async () => {
  browser = await launchChromium([`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`, ...WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS]);
  server = await servePages(files);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('session ids in Chromium', () => {
  it('an insecure page (no randomUUID) still gets a 128-bit id from getRandomValues, and the host accepts it', async () => {
    const pagePort = new URL(server.url('/')).port;
    const origin = `http://${INSECURE_HOST}:${pagePort}`;
    const { wv, port } = await startHost({ allowedOrigins: [origin] });
    files['/insecure.html'] = `<!doctype html><script type="module">
      import { connect } from '/client.js';
      window.facts = { secure: isSecureContext, randomUUID: typeof crypto.randomUUID };
      const client = connect({ port: ${port}, host: '127.0.0.1' });
      window.opened = client.ready;
    </script>`;
    const page = await (await browser.newContext()).newPage();
    const connected = nextEvent(wv, 'connect');
    await page.goto(`${origin}/insecure.html`);
    await page.waitForFunction(() => (window as unknown as { opened?: Promise<void> }).opened !== undefined);
    await page.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
    expect(await page.evaluate(() => (window as unknown as { facts: unknown }).facts)).toEqual({ secure: false, randomUUID: 'undefined' });
    const [hostPage] = (await connected) as [Page];
    expect(hostPage.origin).toBe(origin);
    expect(isSessionId(hostPage.session)).toBe(true);
  });
});
