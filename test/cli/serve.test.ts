import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startCli, type CliProcess } from './cli-process.js';

// The CLI started as a user would (a real process), a page opened against it in Chromium, files
// edited under the root and the host module edited: the page reloads, the host module restarts.

const CHANGE_TIMEOUT_MS = 10_000;

/** A page that keeps what HISE's drop-in client receives, with a heading the tests edit. */
function indexHtml(heading: string): string {
  return `<!doctype html>
<html><head><title>live</title></head>
<body>
<h1>${heading}</h1>
<script src="/hisewebsocket-min.js"></script>
<script>
  window.received = [];
  const server = new HiseWebSocketServer(Number(location.port));
  server.addEventListener((id, data) => window.received.push([id, data instanceof Float32Array ? Array.from(data.slice(0, 4)) : data]));
  window.sendToHost = (text) => server.send(text);
</script>
</body></html>
`;
}

/** A host module: binds `ping`, sends `v` (retained, so every page gets it) and how many connect listeners exist. */
function hostModule(version: string): string {
  return `import type { WebView } from 'hise-webview';
export default function host(wv: WebView) {
  wv.retain('v', 'listeners');
  wv.on('connect', () => undefined);
  wv.bindCallback('ping', () => 'pong-${version}');
  wv.sendToWebsocket('v', '${version}');
  wv.sendToWebsocket('listeners', String(wv.listenerCount('connect')));
  const timer = setInterval(() => undefined, 1000);
  return () => clearInterval(timer);
}
`;
}

let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-cli-serve-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

async function openPage(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

/** What the page's bound `ping` answers, or undefined while the page reloads (after a host-module restart). */
function pingOf(page: BrowserPage): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as { ping?(): Promise<string> }).ping?.()).catch(() => undefined);
}

/** What the page's drop-in received under `id`, latest last. */
function receivedUnder(page: BrowserPage, id: string): Promise<unknown[]> {
  return page.evaluate((wanted) => (window as unknown as { received: [string, unknown][] }).received.filter(([i]) => i === wanted).map(([, d]) => d), id);
}

describe('hise-webview serve <root> --module <file>', () => {
  let cli: CliProcess;
  let page: BrowserPage;
  let root: string;
  let modulePath: string;

  beforeAll(async () => {
    root = join(dir, 'site');
    await import('node:fs/promises').then((fs) => fs.mkdir(root));
    await writeFile(join(root, 'index.html'), indexHtml('first'));
    modulePath = join(dir, 'host.ts');
    await writeFile(modulePath, hostModule('one'));
    cli = await startCli(['serve', root, '--module', modulePath, '--port', '0']);
    page = await openPage(cli.url);
  });
  afterAll(async () => {
    expect(await cli?.stop()).toBe(0); // SIGTERM: the WebView closes and the process exits 0
  });

  it('serves the root with the bridge: bound callbacks work and the host module ran', async () => {
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await page.textContent('h1')).toBe('first');
    expect(await page.evaluate(() => (window as unknown as { ping(): Promise<string> }).ping())).toBe('pong-one');
    await expect.poll(() => receivedUnder(page, 'v'), { timeout: CHANGE_TIMEOUT_MS }).toEqual(['one']);
  });

  it('reloads the page when a file under the root changes, and the bridge is there after the reload', async () => {
    const reloaded = page.waitForEvent('load', { timeout: CHANGE_TIMEOUT_MS });
    await writeFile(join(root, 'index.html'), indexHtml('second'));
    await reloaded;
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'second', undefined, { timeout: CHANGE_TIMEOUT_MS });
    await cli.waitForLine(/index\.html changed: reloading 1 page/);
    await page.waitForFunction(() => typeof (window as unknown as { ping?: unknown }).ping === 'function', undefined, { timeout: CHANGE_TIMEOUT_MS });
    expect(await page.evaluate(() => (window as unknown as { ping(): Promise<string> }).ping())).toBe('pong-one');
    // The drop-in reconnected: retained state was sent again to the new page.
    await expect.poll(() => receivedUnder(page, 'v'), { timeout: CHANGE_TIMEOUT_MS }).toEqual(['one']);
  });

  it('ignores dotfiles and node_modules under the root', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await import('node:fs/promises').then((fs) => fs.mkdir(join(root, 'node_modules'), { recursive: true }));
    await writeFile(join(root, '.notes'), 'x');
    await writeFile(join(root, 'node_modules', 'dep.js'), 'x');
    // Then a change that does reload: had the ignored ones reloaded, the log would name them.
    const reloaded = page.waitForEvent('load', { timeout: CHANGE_TIMEOUT_MS });
    await writeFile(join(root, 'style.css'), 'h1 { color: red }');
    await reloaded;
    expect(cli.output.filter((line) => /changed: reloading/.test(line)).join('\n')).not.toMatch(/\.notes|node_modules/);
  });

  it('restarts the host module when it changes; what it registered does not pile up', async () => {
    await writeFile(modulePath, hostModule('two'));
    await cli.waitForLine(/host module restarted/, CHANGE_TIMEOUT_MS);
    await expect.poll(() => receivedUnder(page, 'v'), { timeout: CHANGE_TIMEOUT_MS }).toContain('two');
    await expect.poll(() => pingOf(page), { timeout: CHANGE_TIMEOUT_MS }).toBe('pong-two'); // the page reloads once the module has set up
    // The first run's connect listener was removed before the second run added its own.
    await expect.poll(async () => (await receivedUnder(page, 'listeners').catch(() => [])).at(-1), { timeout: CHANGE_TIMEOUT_MS }).toBe('1');
  });

  it('keeps serving when the restarted module throws, and runs it again once fixed', async () => {
    await writeFile(modulePath, "export default function host(): void { throw new Error('broken on purpose'); }\n");
    await cli.waitForLine(/threw: broken on purpose \(waiting for the next change\)/, CHANGE_TIMEOUT_MS);
    expect(cli.child.exitCode).toBeNull();
    await writeFile(modulePath, hostModule('three'));
    await expect.poll(() => receivedUnder(page, 'v'), { timeout: CHANGE_TIMEOUT_MS }).toContain('three');
    await expect.poll(() => pingOf(page), { timeout: CHANGE_TIMEOUT_MS }).toBe('pong-three'); // the page reloads once the module has set up
  });
});

describe('hise-webview serve <root> without --module: the inspector', () => {
  let cli: CliProcess;
  let page: BrowserPage;

  beforeAll(async () => {
    const root = join(dir, 'inspected');
    await import('node:fs/promises').then((fs) => fs.mkdir(root));
    await writeFile(join(root, 'index.html'), indexHtml('inspected'));
    cli = await startCli(['serve', join(root, 'index.html'), '--port', '0', '--signal', 'sine:scope', '--block-size', '128']);
    page = await openPage(cli.url);
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('streams the test signal as Float32Array blocks to the chosen id', async () => {
    await expect.poll(async () => (await receivedUnder(page, 'scope')).length, { timeout: CHANGE_TIMEOUT_MS }).toBeGreaterThan(2);
    const [first] = (await receivedUnder(page, 'scope')) as number[][];
    expect(first).toHaveLength(4);
    for (const value of first!) expect(Math.abs(value)).toBeLessThanOrEqual(0.5);
  });

  it('logs each socket of the tab under its one page id: the bridge, then the HISE client', async () => {
    const bridge = await cli.waitForLine(/page \d+ connected: bridge/, CHANGE_TIMEOUT_MS);
    const id = /page (\d+)/.exec(bridge)![1];
    expect(id).toMatch(/^\d+$/);
    const client = await cli.waitForLine(new RegExp(`page ${id} connected: HISE client`), CHANGE_TIMEOUT_MS);
    expect(cli.output.indexOf(client)).toBeGreaterThan(cli.output.indexOf(bridge)); // the bridge first
  });

  it('logs what pages send: id and a short preview', async () => {
    await page.evaluate(() => (window as unknown as { sendToHost(text: string): void }).sendToHost('{"gain":0.5}'));
    expect(await cli.waitForLine(/page \d+ object\(1 keys\) \{"gain":0\.5\}/, CHANGE_TIMEOUT_MS)).toMatch(/^.*page \d+ /);
  });
});

describe('hise-webview serve <root> --images <dir>', () => {
  it("serves HISE's {PROJECT_FOLDER} references to a page in a sub-folder: <img> and CSS url() load", async () => {
    const project = join(dir, 'project');
    const fs = await import('node:fs/promises');
    await fs.mkdir(join(project, 'Scripts', 'pages'), { recursive: true });
    await fs.mkdir(join(project, 'Images', 'skins'), { recursive: true });
    // A 2×1 PNG and a 3×2 SVG, so the page can tell which image it got.
    await writeFile(
      join(project, 'Images', 'knob.png'),
      Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000010806000000f4227f8a0000000e49444154789c63f8cfc0f01f840111f703fde3c5f5ef0000000049454e44ae426082', 'hex'),
    );
    await writeFile(join(project, 'Images', 'skins', 'panel.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"/>');
    await writeFile(join(project, 'Scripts', 'index.html'), '<!doctype html><title>root</title>');
    await writeFile(
      join(project, 'Scripts', 'pages', 'editor.html'),
      `<!doctype html><html><head><style>#panel { width: 3px; height: 2px; background: url({PROJECT_FOLDER}skins/panel.svg); }</style></head>
<body><img id="knob" src="{PROJECT_FOLDER}knob.png"><div id="panel"></div></body></html>`,
    );
    const cli = await startCli(['serve', join(project, 'Scripts'), '--images', join(project, 'Images'), '--port', '0']);
    try {
      const page = await openPage(new URL('pages/editor.html', cli.url).href);
      const responses: [string, number, string | undefined][] = [];
      page.on('response', (r) => responses.push([new URL(r.url()).pathname, r.status(), r.headers()['content-type']]));
      await page.reload();
      await page.waitForFunction(() => (document.getElementById('knob') as HTMLImageElement).complete);
      expect(await page.evaluate(() => (document.getElementById('knob') as HTMLImageElement).naturalWidth)).toBe(2);
      await expect.poll(() => responses.find(([path]) => path.endsWith('panel.svg'))).toEqual(['/pages/%7BPROJECT_FOLDER%7Dskins/panel.svg', 200, 'image/svg+xml']);
      expect(responses).toContainEqual(['/pages/%7BPROJECT_FOLDER%7Dknob.png', 200, 'image/png']);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});
