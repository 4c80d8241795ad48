import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../helpers/chromium.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { hiseFilePage, PROBE_PAGE } from '../helpers/refusal.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';
import { startCli, type CliProcess } from './cli-process.js';

// docs/TROUBLESHOOTING.md, "my page does not connect", against `hise-webview serve` and real
// Chromium: for each reason the terminal prints one line naming the flag that admits the page, the
// page's console gets the close code and reason, and that flag (where it is safe) admits the page.

const WAIT_MS = 15_000;
/** A test starts one or two hosts and browser pages: generous, for a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;

let browser: Browser;
let dir: string;
let root: string;
let tokenFile: string;
let pages: PageServer;
const clis: CliProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-refusals-'));
  root = join(dir, 'webview');
  await import('node:fs/promises').then((fs) => fs.mkdir(root));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>served</title>');
  await writeFile(join(dir, 'from-disk.html'), hiseFilePage(pathToFileURL(HISE_CLIENT_JS ?? '/missing').href, "'received ' + id"));
  tokenFile = join(dir, 'token');
  pages = await servePages({ '/probe.html': PROBE_PAGE });
  browser = await launchChromium([...WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS, '--host-resolver-rules=MAP devbox.test 127.0.0.1, MAP rebind.test 127.0.0.1']);
});
afterAll(async () => {
  await Promise.all(clis.map((cli) => cli.stop()));
  await browser?.close();
  await pages?.close();
  await rm(dir, { recursive: true, force: true });
});

async function serve(...args: string[]): Promise<CliProcess & { port: number }> {
  // The stand-in host streams a sine to every page: what tells an admitted page from a refused one.
  const cli = await startCli(['serve', root, '--token-file', tokenFile, '--signal', 'sine:scope', ...args]);
  clis.push(cli);
  return Object.assign(cli, { port: Number(new URL(cli.url).port) });
}

/** Opens `url` in a fresh context; resolves with the first console line matching `pattern`. */
async function consoleLine(url: string, pattern: RegExp): Promise<{ line: string; page: Page }> {
  const page = await (await browser.newContext()).newPage();
  const line = page.waitForEvent('console', { predicate: (message) => pattern.test(message.text()), timeout: WAIT_MS });
  await page.goto(url);
  return { line: (await line).text(), page };
}

const probeUrl = (hostname: string, query: Record<string, string>): string => {
  const url = new URL(pages.url('/probe.html'));
  url.hostname = hostname;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.href;
};

const token = async (): Promise<string> => (await readFile(tokenFile, 'utf8')).trim();

describe('serve: a refused page is explained in the terminal and the page, and the named flag admits it', () => {
  it('a page of another origin: 4403, --allow-origin <origin>', async () => {
    const refusing = await serve();
    const url = probeUrl('devbox.test', { port: String(refusing.port), token: await token() });
    const origin = new URL(url).origin;
    const { line } = await consoleLine(url, /^closed/);
    expect(line).toBe(`closed 4403 origin ${origin} not allowed; if the page is yours: --allow-origin ${origin} (allowedOrigins)`);
    const printed = await refusing.waitForLine(/refused a page from http:\/\/devbox\.test/);
    expect(printed).toContain(`admit it with --allow-origin ${origin}`);
    expect(printed).toContain('not a web site you merely have open');

    const admitting = await serve('--allow-origin', origin);
    const admitted = await consoleLine(probeUrl('devbox.test', { port: String(admitting.port), token: await token() }), /^(admitted|closed)/);
    expect(admitted.line).toBe('admitted');
    await admitting.waitForLine(new RegExp(`page \\d+ connected: .*\\(${origin.replaceAll('.', '\\.')}\\)`));
  }, TEST_TIMEOUT_MS);

  it('a page without the token: 4401, where the token comes from; the token admits it', async () => {
    const cli = await serve();
    const { line } = await consoleLine(probeUrl('127.0.0.1', { port: String(cli.port) }), /^closed/);
    expect(line).toMatch(/^closed 4401 token missing or wrong: .*--token-file/);
    expect(line).not.toContain(await token());
    const printed = await cli.waitForLine(/its token is missing or wrong/);
    expect(printed).toContain('--token-file <file> or HISE_WEBVIEW_TOKEN');
    expect(printed).toContain(`bridge script (http://localhost:${cli.port}/`);
    expect(printed).not.toContain(await token());
    const admitted = await consoleLine(probeUrl('127.0.0.1', { port: String(cli.port), token: await token() }), /^(admitted|closed)/);
    expect(admitted.line).toBe('admitted');
  }, TEST_TIMEOUT_MS);

  it.skipIf(!HISE_CLIENT_JS)(hiseTitle("a HISE page from disk (file://, HISE's stock client): 4403 naming --allow-file-pages; the flag and the token admit it"), async () => {
    const page = (port: number, query: Record<string, string>): string => {
      const url = pathToFileURL(join(dir, 'from-disk.html'));
      url.searchParams.set('port', String(port));
      for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
      return url.href;
    };
    const refusing = await serve();
    const { line } = await consoleLine(page(refusing.port, { token: await token() }), /^closed/);
    expect(line).toMatch(/^closed 4403 origin null \(a file:\/\/ page\) refused: start the host with --allow-file-pages/);
    expect(await refusing.waitForLine(/refused a page from disk/)).toContain('Admit yours with --allow-file-pages');

    const admitting = await serve('--allow-file-pages');
    await admitting.waitForLine(/pages from disk \(file:\/\/\) are admitted with the token from .*token/);
    expect((await consoleLine(page(admitting.port, { token: await token() }), /^(received|closed)/)).line).toBe('received scope');
    // The flag without the token: still refused.
    expect((await consoleLine(page(admitting.port, {}), /^(received|closed)/)).line).toMatch(/^closed 4401 /);
  }, TEST_TIMEOUT_MS);

  it('--allow-file-pages without a token from a file or the environment is a usage error', async () => {
    await expect(startCli(['serve', root, '--allow-file-pages'])).rejects.toThrow(/--allow-file-pages needs a token .*--token-file <file>/);
  }, TEST_TIMEOUT_MS);

  it('one page too many: 4503, --max-pages', async () => {
    const cli = await serve('--max-pages', '1');
    const query = { port: String(cli.port), token: await token() };
    expect((await consoleLine(probeUrl('127.0.0.1', query), /^(admitted|closed)/)).line).toBe('admitted');
    expect((await consoleLine(probeUrl('127.0.0.1', query), /^(admitted|closed)/)).line).toMatch(/^closed 4503 host full: 1 pages \(maxPages\)/);
    expect(await cli.waitForLine(/the host is full/)).toContain('--max-pages <n>');
    const roomier = await serve('--max-pages', '2');
    const more = { port: String(roomier.port), token: await token() };
    expect((await consoleLine(probeUrl('127.0.0.1', more), /^(admitted|closed)/)).line).toBe('admitted');
    expect((await consoleLine(probeUrl('127.0.0.1', more), /^(admitted|closed)/)).line).toBe('admitted');
  }, TEST_TIMEOUT_MS);

  it('a request naming another host (DNS rebinding): a plain 403 for the page, the terminal names --allow-host', async () => {
    const cli = await serve();
    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(`http://rebind.test:${cli.port}/`);
    expect(response?.status()).toBe(403);
    expect(await cli.waitForLine(/refused a request for Host rebind\.test/)).toContain('admit it with --allow-host rebind.test');
    const allowing = await serve('--allow-host', 'rebind.test');
    expect((await page.goto(`http://rebind.test:${allowing.port}/`))?.status()).toBe(200);
  });
});
