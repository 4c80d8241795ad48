import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page as BrowserPage } from 'playwright-core';
import { WebView, type LanOptions, type WebViewOptions } from '../../src/host/index.js';

/** "The LAN" of the tests: a loopback address other than 127.0.0.1, so nothing leaves the machine. */
export const LAN_ADDRESS = '127.0.0.2';
/** "Another device" of the tests: the local address its sockets are bound to. */
export const OTHER_DEVICE = '127.0.0.3';

/**
 * The page every LAN test serves: HISE's drop-in client and the modern client (both dial
 * `localhost:PORT` as pages written for HISE do; the bridge sends them to the page's LAN origin),
 * with what they received in `window.got`.
 */
export const LAN_PAGE = `<!doctype html><title>LAN page</title>
<script src="/hisewebsocket-min.js"></script>
<script type="module">
  import { connect } from '/hise-webview-client.js';
  window.got = [];
  window.hise = new HiseWebSocketServer(window.__HISE_WEBVIEW__.port);
  window.hise.addEventListener((id, data) => window.got.push(['hise', id, data]));
  window.client = connect();
  window.client.onAny((id, data) => window.got.push(['modern', id, data]));
  window.ready = new Promise((resolve) => {
    let opened = 0;
    const one = () => ++opened === 2 && resolve();
    window.client.onStatus((status) => status === 'open' && one());
    window.hise.addEventListener('open', one);
  });
</script>`;

const directories: string[] = [];

/** A private directory for one host's devices file and certificate (removed by {@link removeLanDirectories}). */
export async function lanDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'hise-lan-'));
  directories.push(directory);
  return directory;
}

export async function removeLanDirectories(): Promise<void> {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
}

/** A host serving {@link LAN_PAGE} on loopback and on the test LAN, mDNS off (tests stay on loopback). */
export async function startLanHost(lan: LanOptions = {}, options: WebViewOptions = {}, port = 0): Promise<{ wv: WebView; port: number }> {
  const wv = new WebView({ ...options, lan: { host: LAN_ADDRESS, mdns: false, directory: lan.directory ?? (await lanDirectory()), ...lan } });
  wv.setHtmlContent(LAN_PAGE);
  return { wv, port: await wv.setEnableWebSocket(port) };
}

/** Opens a pairing URL in a fresh page of `context`: the title it ends on (`LAN page` when paired, `Not paired: CODE` when refused). */
export async function pairIn(context: BrowserContext, url: string): Promise<BrowserPage> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'LAN page' || document.title.startsWith('Not paired'));
  return page;
}

/** A raw HTTP request from "another device" (bound to {@link OTHER_DEVICE} or `from`): status, headers and body. */
export function requestFrom(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from ?? OTHER_DEVICE }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** POSTs a pairing code as the pairing page does (with the LAN origin). */
export function postCode(wv: WebView, code: string, from?: string): ReturnType<typeof requestFrom> {
  const origin = wv.lan!.url!.slice(0, -1);
  return requestFrom(`${origin}/__hise-webview/lan/pair`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ code }), ...(from === undefined ? {} : { from }) });
}

/** Waits until both clients of {@link LAN_PAGE} are open (its module script may not have run yet). */
export async function clientsOpen(page: BrowserPage): Promise<void> {
  await page.waitForFunction(() => 'ready' in window);
  await page.evaluate(() => (window as unknown as { ready: Promise<void> }).ready);
}
