import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page as BrowserPage } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiseWebview } from '../../dist/vite/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';
import { startCli, type CliProcess } from './cli-process.js';

// HISE reloads its webview when the script recompiles. The dev servers do the same on each save
// of the host module: a page written from HISE's documentation (`initWebSocket(port)` creating a
// `HiseWebSocketServer`, called by the host with `callFunction`) must, after every save, have one
// socket, receive each block the host streams once, and reach the host — with our drop-in and with
// HISE's own client, under the CLI and under the Vite plugin.

const SAVES = 5;
const CHANGE_TIMEOUT_MS = 20_000;
/** Blocks of one host version a page must have received before its state is checked. */
const BLOCKS_PER_CHECK = 8;
const TICK_MS = 20;

/** The page of HISE's documentation (setEnableWebSocket.md), recording what it receives. */
const HISE_DOC_PAGE = `<!doctype html>
<html>
<head>
<script src="hisewebsocket-min.js"></script>
</head>
<body>
<script>
var server;
window.blocks = [];
window.echoes = [];
window.boundAtLoad = typeof window.hostVersion; // the new module's callbacks are there before page code runs
// this function will be called from HISE when everything is loaded
window.initWebSocket = function(port)
{
    server = new HiseWebSocketServer(port);
    server.addEventListener(function(id, data)
    {
        if (id === '0') window.blocks.push([data[1], data[0], performance.now()]);
        else if (id === 'echo') window.echoes.push(data);
    });
}
window.sendToHost = function(text) { server.send(text); };
</script>
</body>
</html>
`;

/** A modern page that opts in to stay open across restarts and resyncs by itself. */
const KEEP_ALIVE_PAGE = `<!doctype html>
<html><head><script>
window.__HISE_WEBVIEW_KEEP_ALIVE__ = true;
window.restarts = 0;
window.versions = [];
addEventListener('hise-webview:host-restart', async () => {
  window.restarts++;
  window.versions.push(await window.hostVersion());
});
</script>
<script type="module">
import { connect } from '/hise-webview-client.js';
window.client = connect({ port: Number(location.port) });
</script>
</head><body>kept</body></html>
`;

/** The host of HISE's documentation, as a host module: `callFunction('initWebSocket', port)` and a streamed buffer. */
function hostModule(version: number): string {
  return `export default function host(wv) {
  const block = new Float32Array(128);
  let seq = 0;
  wv.addBufferToWebSocket(0, block);
  wv.setWebSocketCallback((data) => wv.sendToWebsocket('echo', '${version}:' + String(data)));
  wv.bindCallback('hostVersion', () => ${version});
  wv.bindCallback('socketsPerTab', () => wv.pages.map((page) => page.connections.length));
  wv.callFunction('initWebSocket', wv.port);
  ${version === 1 ? "wv.evaluate('first-only', 'window.firstOnly = true');" : ''}
  const timer = setInterval(() => {
    block[0] = ++seq;
    block[1] = ${version};
    wv.updateBuffer(0);
  }, ${TICK_MS});
  return () => clearInterval(timer);
}
`;
}

/** Counts, in every document of the context, the page's own sockets to the host (not the bridge's, not Vite's). */
function countSockets(hostPort: number): void {
  const Native = window.WebSocket;
  const sockets = { opened: 0, open: 0 };
  (window as unknown as { sockets: typeof sockets }).sockets = sockets;
  (window as unknown as { documentId: number }).documentId = Math.random();
  class Counting extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const target = new URL(url, location.href);
      if (target.port !== String(hostPort) || target.searchParams.has('bridge')) return;
      sockets.opened++;
      let opened = false;
      this.addEventListener('open', () => {
        opened = true;
        sockets.open++;
      });
      this.addEventListener('close', () => {
        if (opened) sockets.open--;
      });
    }
  }
  window.WebSocket = Counting;
}

interface PageState {
  documentId: number;
  sockets: { opened: number; open: number };
  /** [host version, seq, ms] per block received. */
  blocks: [number, number, number][];
  echoes: string[];
  boundAtLoad: string;
  firstOnly: boolean | undefined;
}

/** The page's state, or undefined while it is between documents. */
async function stateOf(page: BrowserPage): Promise<PageState | undefined> {
  try {
    return await page.evaluate(() => {
      const w = window as unknown as PageState & { blocks?: PageState['blocks'] };
      return {
        documentId: w.documentId,
        sockets: { ...w.sockets },
        blocks: w.blocks ?? [],
        echoes: w.echoes ?? [],
        boundAtLoad: w.boundAtLoad,
        firstOnly: w.firstOnly,
      };
    });
  } catch {
    return undefined; // navigating
  }
}

/** Waits for a document (other than `previous`) that has streamed `version` for a while, and returns its state. */
async function settledOn(page: BrowserPage, version: number, previous: number | undefined): Promise<PageState> {
  let state: PageState | undefined;
  await expect
    .poll(
      async () => {
        state = await stateOf(page);
        if (state === undefined || state.documentId === previous) return false;
        return state.blocks.filter(([v]) => v === version).length >= BLOCKS_PER_CHECK;
      },
      { timeout: CHANGE_TIMEOUT_MS },
    )
    .toBe(true);
  return state!;
}

/** One socket, each block of the current host once, and page → host → page works. */
async function expectFreshPage(page: BrowserPage, state: PageState, version: number): Promise<Rate> {
  expect(state.sockets).toEqual({ opened: 1, open: 1 });
  expect(state.boundAtLoad).toBe('function');
  expect(state.firstOnly).toBe(version === 1 ? true : undefined); // the old module's persistent calls are not replayed
  expect(state.blocks.every(([v]) => v === version)).toBe(true); // nothing of an earlier module
  const seqs = state.blocks.map(([, seq]) => seq);
  expect(new Set(seqs).size).toBe(seqs.length); // no block twice: one socket's worth of messages
  // Seen from the host: one page (this tab) with two connections, its bridge's and its client's.
  expect(await page.evaluate(() => (window as unknown as { socketsPerTab(): Promise<number[]> }).socketsPerTab())).toEqual([2]);
  const text = `hello-${version}`;
  await page.evaluate((t) => (window as unknown as { sendToHost(t: string): void }).sendToHost(t), text);
  await expect.poll(async () => (await stateOf(page))?.echoes ?? [], { timeout: CHANGE_TIMEOUT_MS }).toContain(`${version}:${text}`);
  return rateOf(state);
}

/** Blocks received per second, and per block the host sent over the same stretch (1 with one socket). */
interface Rate {
  perSecond: number;
  perBlockSent: number;
}

function rateOf({ blocks }: PageState): Rate {
  const [first, last] = [blocks[0]!, blocks.at(-1)!];
  return { perSecond: ((blocks.length - 1) * 1000) / Math.max(1, last[2] - first[2]), perBlockSent: blocks.length / (last[1] - first[1] + 1) };
}

function describeRates(rates: Rate[]): string {
  const perSecond = rates.map((r) => r.perSecond.toFixed(0)).join(' → ');
  const perBlock = rates.map((r) => r.perBlockSent.toFixed(2)).join(' → ');
  return `blocks/s per save ${perSecond} (one sent per ${TICK_MS} ms); received per block sent ${perBlock}`;
}

const clients = [
  { name: 'our drop-in (served by the host)', hiseClient: false, skip: false },
  { name: hiseTitle("HISE's own client (copied into the root)"), hiseClient: true, skip: HISE_CLIENT_JS === undefined },
];

/** Writes the page, HISE's client when asked, and the host module into a fresh folder. */
async function makeProject(dir: string, hiseClient: boolean, extra: Record<string, string> = {}): Promise<string> {
  const root = join(dir, 'root');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'index.html'), HISE_DOC_PAGE);
  for (const [name, body] of Object.entries(extra)) await writeFile(join(root, name), body);
  if (hiseClient) await copyFile(resolve(HISE_CLIENT_JS!), join(root, 'hisewebsocket-min.js'));
  await writeFile(join(root, 'host.ts'), hostModule(1));
  return root;
}

/** Saves `SAVES` new versions of the host module and checks the page after each. */
async function walkThroughSaves(page: BrowserPage, modulePath: string, rates: Rate[]): Promise<void> {
  let state = await settledOn(page, 1, undefined);
  rates.push(await expectFreshPage(page, state, 1));
  for (let version = 2; version <= SAVES + 1; version++) {
    await writeFile(modulePath, hostModule(version));
    state = await settledOn(page, version, state.documentId); // a new document: the page reloaded
    rates.push(await expectFreshPage(page, state, version));
  }
}

let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-host-restart-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

async function newContext(hostPort: number): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript(countSockets, hostPort);
  return context;
}

for (const { name, hiseClient, skip } of clients) describe.skipIf(skip)(`hise-webview serve --module, HISE-documented page with ${name}`, () => {
  let cli: CliProcess;
  let root: string;

  beforeAll(async () => {
    root = await makeProject(join(dir, `cli-${hiseClient}`), hiseClient, { 'keep.html': KEEP_ALIVE_PAGE });
    cli = await startCli(['serve', root, '--module', join(root, 'host.ts'), '--port', '0']);
  });
  afterAll(async () => {
    expect(await cli?.stop()).toBe(0);
  });

  it(`reloads the page after each of ${SAVES} saves, once the new module has set up: one socket, each block once, messages both ways`, async () => {
    const port = Number(new URL(cli.url).port);
    const page = await (await newContext(port)).newPage();
    await page.goto(cli.url);
    const rates: Rate[] = [];
    await walkThroughSaves(page, join(root, 'host.ts'), rates);
    console.log(`CLI, ${hiseClient ? "HISE's client" : 'drop-in'}: ${describeRates(rates)}`);
    await cli.waitForLine(new RegExp(`host module restarted \\(.*host\\.ts\\): reloading 1 page`), CHANGE_TIMEOUT_MS);
    await page.context().close();
  });

  it('keeps a page that opted in open: same document, its socket, the new module reached through the restart event', async () => {
    const port = Number(new URL(cli.url).port);
    const page = await (await newContext(port)).newPage();
    await page.goto(new URL('keep.html', cli.url).href);
    await page.waitForFunction(() => typeof (window as unknown as { hostVersion?: unknown }).hostVersion === 'function', undefined, { timeout: CHANGE_TIMEOUT_MS });
    const before = await page.evaluate(() => (window as unknown as { documentId: number }).documentId);
    for (const version of [10, 11]) {
      await writeFile(join(root, 'host.ts'), hostModule(version));
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { versions: number[] }).versions), { timeout: CHANGE_TIMEOUT_MS })
        .toContain(version);
    }
    expect(await page.evaluate(() => (window as unknown as { documentId: number }).documentId)).toBe(before);
    expect(await page.evaluate(() => (window as unknown as { restarts: number }).restarts)).toBe(2);
    expect((await stateOf(page))?.sockets).toEqual({ opened: 1, open: 1 }); // the modern client's socket, never reopened
    await cli.waitForLine(/host module restarted .*: reloading 0 pages, kept 1 open/, CHANGE_TIMEOUT_MS);
    await page.context().close();
  });
});

for (const { name, hiseClient, skip } of clients) describe.skipIf(skip)(`the Vite plugin with a host module, HISE-documented page with ${name}`, () => {
  let server: ViteDevServer;
  let root: string;
  let viteUrl: string;

  beforeAll(async () => {
    root = await makeProject(join(dir, `vite-${hiseClient}`), hiseClient);
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: true, watch: { ignored: ['**/host.ts'] } },
      plugins: [hiseWebview({ module: 'host.ts' })],
    });
    await server.listen();
    viteUrl = `http://localhost:${(server.httpServer!.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`reloads the page after each of ${SAVES} saves: one socket, each block once, messages both ways`, async () => {
    const html = await (await fetch(viteUrl)).text();
    const hostPort = Number(/http:\/\/localhost:(\d+)\/hise-webview-bridge\.js/.exec(html)![1]);
    const page = await (await newContext(hostPort)).newPage();
    await page.goto(viteUrl);
    const rates: Rate[] = [];
    await walkThroughSaves(page, join(root, 'host.ts'), rates);
    console.log(`Vite, ${hiseClient ? "HISE's client" : 'drop-in'}: ${describeRates(rates)}`);
    await page.context().close();
  });
});
