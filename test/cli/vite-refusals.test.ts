import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { createLogger, createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiseWebview, type HiseWebviewPluginOptions } from '../../dist/vite/index.js';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';
import { hiseFilePage, PROBE_PAGE } from '../helpers/refusal.js';

// docs/TROUBLESHOOTING.md against the Vite plugin: a refused page gets one line in Vite's log
// naming the plugin option that admits it, the page's console gets the close code and reason, and
// that option admits the page.

const WAIT_MS = 15_000;
/** A test starts one or two hosts and browser pages: generous, for a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;
const TOKEN = 'vite-refusals-token-0123456789';

let browser: Browser;
let dir: string;
let pages: PageServer;
const servers: ViteDevServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-vite-refusals-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>vite</title>');
  await writeFile(join(dir, 'from-disk.html'), hiseFilePage(pathToFileURL(HISE_CLIENT_JS ?? '/missing').href, "'admitted'"));
  pages = await servePages({ '/probe.html': PROBE_PAGE });
  browser = await launchChromium([...WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS, '--host-resolver-rules=MAP devbox.test 127.0.0.1']);
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await browser?.close();
  await pages?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Vite with the plugin (its stand-in host streaming a sine), its log lines, and the host's port. */
async function vite(options: HiseWebviewPluginOptions, ready = /\[hise-webview\] host on http:\/\//): Promise<{ lines: string[]; port: number; waitForLine(pattern: RegExp): Promise<string> }> {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const logger = createLogger('info');
  const keep = (message: string): void => {
    lines.push(message);
    for (const waiter of waiters) waiter();
  };
  logger.info = keep;
  logger.warn = keep;
  logger.error = keep;
  const server = await createServer({
    root: dir,
    configFile: false,
    customLogger: logger,
    server: { host: '127.0.0.1', port: 0, strictPort: true },
    plugins: [hiseWebview({ inspector: { signals: [{ kind: 'sine', id: 'scope' }] }, ...options })],
  });
  servers.push(server);
  await server.listen();
  const waitForLine = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = lines.find((candidate) => pattern.test(candidate));
        if (line === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(line);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no line matching ${pattern}:\n${lines.join('\n')}`));
      }, WAIT_MS);
      waiters.add(check);
      check();
    });
  const readyLine = await waitForLine(ready);
  return { lines, port: Number(/:(\d+)\//.exec(readyLine)?.[1]), waitForLine };
}

async function consoleLine(url: string): Promise<string> {
  const page = await (await browser.newContext()).newPage();
  const line = page.waitForEvent('console', { predicate: (message) => /^(admitted|closed)/.test(message.text()), timeout: WAIT_MS });
  await page.goto(url);
  return (await line).text();
}

function probeUrl(hostname: string, port: number, token?: string): string {
  const url = new URL(pages.url('/probe.html'));
  url.hostname = hostname;
  url.searchParams.set('port', String(port));
  if (token !== undefined) url.searchParams.set('token', token);
  return url.href;
}

describe('hise-webview/vite: a refused page is explained in Vite\'s log and the page, and the named option admits it', () => {
  it('another origin: allowedOrigins', async () => {
    const refusing = await vite({ webView: { token: TOKEN } });
    const url = probeUrl('devbox.test', refusing.port, TOKEN);
    const origin = new URL(url).origin;
    expect(await consoleLine(url)).toMatch(/^closed 4403 origin http:\/\/devbox\.test:\d+ not allowed/);
    expect(await refusing.waitForLine(/refused a page from http:\/\/devbox\.test/)).toContain(`hiseWebview({ webView: { allowedOrigins: ['${origin}'] } })`);
    const admitting = await vite({ webView: { token: TOKEN, allowedOrigins: [origin] } });
    expect(await consoleLine(probeUrl('devbox.test', admitting.port, TOKEN))).toBe('admitted');
  }, TEST_TIMEOUT_MS);

  it('no token: 4401, and where the token comes from', async () => {
    const { port, waitForLine } = await vite({ webView: { token: TOKEN } });
    expect(await consoleLine(probeUrl('127.0.0.1', port))).toMatch(/^closed 4401 token missing or wrong/);
    const line = await waitForLine(/its token is missing or wrong/);
    expect(line).toContain('process.env.HISE_WEBVIEW_TOKEN');
    expect(line).not.toContain(TOKEN);
    expect(await consoleLine(probeUrl('127.0.0.1', port, TOKEN))).toBe('admitted');
  }, TEST_TIMEOUT_MS);

  it.skipIf(!HISE_CLIENT_JS)(hiseTitle("a HISE page from disk with HISE's stock client: allowFilePages and the token"), async () => {
    const fileUrl = (port: number, token?: string): string => {
      const url = pathToFileURL(join(dir, 'from-disk.html'));
      url.searchParams.set('port', String(port));
      if (token !== undefined) url.searchParams.set('token', token);
      return url.href;
    };
    const refusing = await vite({ webView: { token: TOKEN } });
    expect(await consoleLine(fileUrl(refusing.port, TOKEN))).toMatch(/^closed 4403 origin null/);
    expect(await refusing.waitForLine(/refused a page from disk/)).toContain('hiseWebview({ webView: { allowFilePages: true, token } })');
    const admitting = await vite({ webView: { token: TOKEN, allowFilePages: true } });
    expect(await consoleLine(fileUrl(admitting.port, TOKEN))).toBe('admitted');
    expect(await consoleLine(fileUrl(admitting.port))).toMatch(/^closed 4401/);
  }, TEST_TIMEOUT_MS);

  it('allowFilePages without a token is refused as an option error', () => {
    // Refused where the config is loaded (the plugin checks its webView options when it is created): no host starts.
    let thrown: unknown;
    try {
      hiseWebview({ webView: { allowFilePages: true } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/option allowFilePages needs a token/) });
  });

  it('one page too many: maxPages', async () => {
    const refusing = await vite({ webView: { token: TOKEN, maxPages: 1 } });
    expect(await consoleLine(probeUrl('127.0.0.1', refusing.port, TOKEN))).toBe('admitted');
    expect(await consoleLine(probeUrl('127.0.0.1', refusing.port, TOKEN))).toMatch(/^closed 4503 host full/);
    expect(await refusing.waitForLine(/the host is full/)).toContain('hiseWebview({ webView: { maxPages, maxConnectionsPerPage } })');
  });
});
