import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { ConsoleMessage, Page as BrowserPage } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { useChromiumPages } from '../helpers/chromium-pages.js';
import { until } from '../helpers/node-client.js';

// A host refuses a page by completing the handshake and closing at once with a code in 4400–4599
// and a reason (issue 21). Both clients show the reason in the page's console, once per distinct
// reason however often they retry, and keep retrying (the developer may restart the host with the
// flag that admits the page). A tiny real ws server plays the refusing host.

const chromium = useChromiumPages();
const DROP_IN = readFileSync(new URL('../../dist/hisewebsocket-min.js', import.meta.url), 'utf8');
const CLIENT = readFileSync(new URL('../../dist/hise-webview-client.js', import.meta.url), 'utf8');

const FIRST_REASON = 'origin http://127.0.0.1 refused: not the host\'s own; start it with --allow-origin to admit it';
const SECOND_REASON = 'token refused: missing or wrong; pass the token the host printed';

/** A server on loopback (port 0) that refuses every connection: 4403 with `reasonFor(n)` for the n-th (from 1). */
async function refusingServer(reasonFor: (n: number) => string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', (socket) => socket.close(4403, reasonFor(++connections)));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Opens `html` (which may import the modern client as `./client.js`) and collects what it logs with console.error under our prefix. */
async function openLogging(name: string, html: string): Promise<{ page: BrowserPage; logged: string[] }> {
  const { page, url } = await chromium.open(name, html);
  await page.route('**/client.js', (route) => route.fulfill({ contentType: 'text/javascript', body: CLIENT }));
  const logged: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && message.text().startsWith('[hise-webview]')) logged.push(message.text());
  });
  await page.goto(url);
  return { page, logged };
}

describe.each([
  {
    client: 'the drop-in',
    page: (port: number) => `<!doctype html><html><head><script>${DROP_IN}</script>
<script>window.server = new HiseWebSocketServer(${port}, { url: 'ws://127.0.0.1:${port}', minReconnectDelay: 10, maxReconnectDelay: 40 });</script></head><body></body></html>`,
  },
  {
    client: 'the modern client',
    page: (port: number) => `<!doctype html><html><head><script type="module">
import { connect } from './client.js';
window.client = connect({ url: 'ws://127.0.0.1:${port}/', minReconnectDelay: 10, maxReconnectDelay: 40 });
</script></head><body></body></html>`,
  },
])('$client shows a refusal in the console', ({ client, page: html }) => {
  it('once per distinct reason across many retries, and keeps retrying', async () => {
    // Connections 1–4 are refused for one reason, 5 onwards for another.
    const server = await refusingServer((n) => (n <= 4 ? FIRST_REASON : SECOND_REASON));
    servers.push(server);
    const { page, logged } = await openLogging(client.replace(/ /g, '-'), html(server.port));
    // The page retried after the close of connection 7, so it has handled the closes of both reasons.
    await until(() => server.connections() >= 8, 15_000, 'eight connections');
    // Console messages reach Node in order, before the answer to a later evaluate.
    await page.evaluate(() => undefined);
    expect(logged).toEqual([`[hise-webview] ${FIRST_REASON}`, `[hise-webview] ${SECOND_REASON}`]);
    await page.close();
  }, 60_000);
});
