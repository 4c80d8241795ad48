import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import { hostInternals } from '../../src/host/internals.js';
import { bundled } from '../helpers/bundle.js';
import { createTestHost, type TestHost } from '../../src/testing/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';
import { HISE_CLIENT_JS, hiseTitle } from '../helpers/hise-client.js';

// Direct communication in a plain browser: the host serves the page, injects the bridge, and HISE's
// bindCallback / callFunction / evaluate / persistence work as they do inside HISE.

let browser: Browser;
const roots: string[] = [];
const testHosts: TestHost[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(testHosts.splice(0).map((host) => host.close()));
});
afterAll(async () => {
  await browser?.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temporary webview root with these files. */
function makeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hise-webview-root-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

async function open(url: string): Promise<{ page: BrowserPage; console: string[]; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const consoleLines: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, console: consoleLines, errors };
}

// The seed document's page, verbatim: HISE's client in <head>, initWebSocket defined for HISE to call.
const SEED_PAGE = `<!doctype html>
<html>
<head>
<script src="hisewebsocket-min.js"></script>
</head>
<body>
<script>
var server;
// this function will be called from HISE when everything is loaded
window.initWebSocket = function(port)
{
	
	// create a new instance of the WebSocket server that connects to HISE
    server = new HiseWebSocketServer(port);

	// Adds a function that receives the id and data that you send to the webview
    server.addEventListener(function(id, data)
    {
		console.log(id, data);
    });
}
</script>
</body>
</html>`;

const clientFiles: { name: string; files: Record<string, string>; skip: boolean }[] = [
  { name: 'our drop-in (served by the host)', files: {}, skip: false },
  { name: hiseTitle("HISE's stock client (in the root, as the docs say)"), files: { 'hisewebsocket-min.js': '' }, skip: HISE_CLIENT_JS === undefined },
];

for (const { name, files, skip } of clientFiles) describe.skipIf(skip)(`the seed's walk-through with ${name}`, () => {
  it('connects although the page loads after callFunction, and receives what the host sends', async () => {
    const root = makeRoot({ 'index.html': SEED_PAGE });
    if ('hisewebsocket-min.js' in files) copyFileSync(resolve(HISE_CLIENT_JS!), join(root, 'hisewebsocket-min.js'));
    const { wv } = await startHost();
    // The HISE script of the seed: enable the socket, then call initWebSocket with the port.
    const PORT = await wv.setEnableWebSocket(0);
    await wv.setIndexFile(root);
    await wv.callFunction('initWebSocket', PORT); // no page is open yet: persistence replays it later
    wv.sendToWebsocket('early', 'held for the first page'); // the bridge connects first, but must not take it
    const connected = nextEvent(wv, 'connect');
    const { page, console: lines, errors } = await open(wv.url!);
    await connected;
    await until(() => wv.pages.some((p) => p.dataConnections().length > 0), 10_000);
    wv.sendToWebsocket('msg', 'hello from HISE');
    await until(() => lines.includes('msg hello from HISE'), 10_000);
    expect(lines).toContain('early held for the first page');
    // The bridge's own connection carries direct communication only, never the page's data.
    const bridge = wv.pages[0]!.connections.find((c) => c.bridged)!;
    expect(bridge.stats.framesSent).toBeLessThan(5);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('bindCallback, callFunction, evaluate', () => {
  async function served(wv: WebView, body: string): Promise<{ page: BrowserPage; errors: string[] }> {
    await wv.setIndexFile(makeRoot({ 'index.html': `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>` }));
    const connected = nextEvent(wv, 'connect');
    const opened = await open(wv.url!);
    await connected;
    return opened;
  }

  it('bound callbacks resolve with the return value and reject with message and code; rebinding replaces', async () => {
    const { wv } = await startHost();
    const seen: unknown[] = [];
    wv.bindCallback('setGain', (args) => {
      seen.push(args);
      return { applied: (args[0] as number) * 2 };
    });
    wv.bindCallback('loadPreset', async (args) => {
      throw Object.assign(new Error(`no preset '${String(args[0])}'`), { code: 'E_PRESET' });
    });
    const { page, errors } = await served(wv, '<p>bound</p>');
    const results = await page.evaluate(async () => {
      const w = window as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const gain = await w.setGain!(0.25, 'dB');
      const failure = await w.loadPreset!('warm').then(
        () => null,
        (e: { message: string; code: string }) => [e.message, e.code],
      );
      return { gain, failure };
    });
    expect(results).toEqual({ gain: { applied: 0.5 }, failure: ["no preset 'warm'", 'E_PRESET'] });
    expect(seen).toEqual([[0.25, 'dB']]);
    wv.bindCallback('setGain', () => 'replaced');
    wv.bindCallback('added', (args) => args.length);
    await page.waitForFunction(() => typeof (window as unknown as { added?: unknown }).added === 'function');
    expect(await page.evaluate(() => (window as unknown as Record<string, () => Promise<unknown>>).setGain!())).toBe('replaced');
    wv.unbindCallback('added');
    await page.waitForFunction(() => !('added' in window));
    expect(errors).toEqual([]);
  });

  it("callbackErrors: 'null' answers a failing bound callback with null, as HISE does, and reports CALLBACK_FAILED", async () => {
    const { wv } = await startHost({ callbackErrors: 'null' });
    const reported: { code: string; message: string }[] = [];
    wv.on('error', (error) => void reported.push(error));
    wv.bindCallback('throws', () => {
      throw new Error('sync failure');
    });
    wv.bindCallback('rejects', async () => {
      throw Object.assign(new Error('async failure'), { code: 'E_ASYNC' });
    });
    wv.bindCallback('works', ([x]) => x);
    const { page, errors } = await served(wv, '<p>null on error</p>');
    const results = await page.evaluate(async () => {
      const w = window as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      return [await w.throws!(), await w.rejects!(), await w.works!(7)];
    });
    expect(results).toEqual([null, null, 7]);
    expect(reported.map((e) => [e.code, e.message])).toEqual([
      ['CALLBACK_FAILED', "bound callback 'throws' failed: sync failure"],
      ['CALLBACK_FAILED', "bound callback 'rejects' failed: async failure"],
    ]);
    expect(errors).toEqual([]);
    expect(() => new WebView({ callbackErrors: 'resolve' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('callFunction passes strings with quotes, backslashes and newlines intact, and returns results', async () => {
    const host = await createTestHost({ html: `<!doctype html><script>window.echo = (x) => { window.got = x; return typeof x; }; window.ns = { twice: (x) => x * 2 };</script>` });
    testHosts.push(host);
    const wv = host.webView;
    const { page } = await open(host.url);
    await host.nextPage();
    const tricky = `it's "quoted" \\ back\\slash\nnew line </script> \u2028 ${'`'}\${x}${'`'}`;
    const [result] = await wv.callFunction('echo', tricky);
    expect(result).toEqual({ status: 'fulfilled', value: 'string' });
    expect(await page.evaluate(() => (window as unknown as { got: string }).got)).toBe(tricky);
    expect(await wv.callFunction('ns.twice', 21)).toEqual([{ status: 'fulfilled', value: 42 }]);
    const [missing] = await wv.callFunction('nope', 1);
    expect(missing!.status).toBe('rejected');
    expect((missing as PromiseRejectedResult).reason.code).toBe('UNKNOWN_FUNCTION');
    expect(await wv.evaluate('sum', '1 + 2')).toEqual([{ status: 'fulfilled', value: 3 }]);
  });

  it('persistent calls replay in pages that open later, at DOMContentLoaded, first-stored order', async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(
      makeRoot({
        'index.html': `<!doctype html><html><head><script>window.order = []; window.a = (x) => order.push('a:' + x); window.b = (x) => order.push('b:' + x);
          document.addEventListener('DOMContentLoaded', () => order.push('page DOMContentLoaded'));</script></head><body></body></html>`,
      }),
    );
    await wv.callFunction('a', 1);
    await wv.evaluate('x', "order.push('x:' + document.readyState)");
    await wv.callFunction('b', 2);
    await wv.callFunction('a', 3); // replaces a:1, keeps a's first place
    const connected = nextEvent(wv, 'connect');
    const { page } = await open(wv.url!);
    await connected;
    await page.waitForFunction(() => (window as unknown as { order: string[] }).order.length >= 4);
    expect(await page.evaluate(() => (window as unknown as { order: string[] }).order)).toEqual(['a:3', 'x:interactive', 'b:2', 'page DOMContentLoaded']);
  });

  /**
   * Opens the root (its page records calls in `window.order`) and returns `order` once everything
   * stored has replayed: both from the page's snapshot and from its sync after connecting. A bound
   * callback's second round trip starts after the bridge's sync request, so its answer comes after
   * the sync's, whose replays run before the next message.
   */
  async function openReplayed(wv: WebView): Promise<string[]> {
    wv.bindCallback('probe', () => true);
    const connected = nextEvent(wv, 'connect');
    const { page, errors } = await open(wv.url!);
    await connected;
    await page.evaluate(async () => {
      const probe = (window as unknown as { probe: () => Promise<boolean> }).probe;
      await probe();
      await probe();
    });
    expect(errors).toEqual([]);
    const order = await page.evaluate(() => (window as unknown as { order: string[] }).order);
    await page.close();
    return order;
  }

  it('callFunction finds what HISE finds: top-level const, let, function, class statics, dotted paths with this', async () => {
    const { wv } = await startHost();
    const { page, errors } = await served(
      wv,
      `<script>
        const viaConst = (x) => 'const:' + x;
        let viaLet = (x) => 'let:' + x;
        function viaFunction(x) { return 'function:' + x; }
        class Meter { static level(x) { return 'static:' + x; } }
        const mixer = { gain: 2, channel: { name: 'ch1', label(x) { return this.name + ':' + x; } }, scaled(x) { return this.gain * x; } };
        function counted() { return arguments.length; }
        function withDefault(x = 'default') { return x; }
        function self() { 'use strict'; return this === undefined; }
      </script>`,
    );
    const value = async (name: string, ...arg: unknown[]) => {
      const [result] = await wv.callFunction(name, ...arg);
      return result!.status === 'fulfilled' ? result!.value : (result as PromiseRejectedResult).reason.code;
    };
    expect(await value('viaConst', 1)).toBe('const:1');
    expect(await value('viaLet', 'x')).toBe('let:x');
    expect(await value('viaFunction', true)).toBe('function:true');
    expect(await value('Meter.level', 0.5)).toBe('static:0.5');
    expect(await value('mixer.scaled', 21)).toBe(42); // this = mixer
    expect(await value('mixer.channel.label', 'L')).toBe('ch1:L'); // this = mixer.channel
    expect(await value('self')).toBe(true); // a bare name is called with this undefined, as name() is
    // No argument is HISE's name(): nothing passed, so defaults apply.
    expect(await value('counted')).toBe(0);
    expect(await value('counted', null)).toBe(1);
    expect(await value('withDefault')).toBe('default');
    // Missing names answer UNKNOWN_FUNCTION, whatever is missing.
    for (const name of ['nope', 'mixer.nope', 'nope.deeper', 'mixer.gain', 'undefined', 'this', 'eval.call.nope']) {
      expect([name, await value(name, 1)]).toEqual([name, 'UNKNOWN_FUNCTION']);
    }
    // The argument is data: code in it is never run.
    expect(await value('viaConst', "'); window.pwned = 1; ('")).toBe("const:'); window.pwned = 1; ('");
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
    // A name that is not identifiers joined by dots is refused by the host before anything is sent or stored.
    const calledNames: string[] = [];
    const stopObserving = wv.observe((o) => void (o.type === 'call' && o.kind === 'callFunction' && calledNames.push(o.name)));
    const storedBefore = hostInternals(wv).persistentCalls.length;
    for (const name of ['alert(1)', 'a..b', 'a.', '.a', 'a b', 'a[0]', 'a;b', '1a', 'a\\u0062']) {
      expect(() => wv.callFunction(name, 1)).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }));
    }
    expect(await value('viaConst', 'after')).toBe('const:after'); // the sentinel: sent after every refused name
    stopObserving();
    expect(calledNames).toEqual(['viaConst']);
    const stored = hostInternals(wv).persistentCalls;
    expect(stored).toHaveLength(storedBefore); // viaConst was stored before: its key is replaced, nothing added
    expect(stored.filter((c) => c.kind === 'function' && !/^[\w$.]+$/.test(c.name))).toEqual([]);
    // A page that gets such a name anyway (from a host that does not check) answers UNKNOWN_FUNCTION and
    // runs none of it: what the bridge's callFunction resolves a name with, loaded into this page.
    await page.addScriptTag({ content: await bundled('src/client/resolve-function.ts', 'resolveFunction') });
    const answers = await page.evaluate((names) => {
      const resolve = (window as unknown as { resolveFunction: (name: string) => unknown }).resolveFunction;
      return names.map((name) => {
        try {
          resolve(name);
          return 'resolved';
        } catch (error) {
          return (error as { code?: string }).code;
        }
      });
    }, ['window.pwned=1', 'alert(1)', '(window.pwned=1)', 'a;window.pwned=1', 'viaConst;window.pwned=1']);
    expect(answers).toEqual(['UNKNOWN_FUNCTION', 'UNKNOWN_FUNCTION', 'UNKNOWN_FUNCTION', 'UNKNOWN_FUNCTION', 'UNKNOWN_FUNCTION']);
    expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('a persisted callFunction of a function a page does not define is no page error (logged in debug mode)', async () => {
    const { wv } = await startHost();
    wv.enableDebugMode = true;
    await wv.callFunction('initWebSocket', 1234); // the documented pattern, for a page that has no such function
    await wv.callFunction('defined', 'replayed');
    const { page, errors, console: lines } = await (async () => {
      await wv.setIndexFile(makeRoot({ 'index.html': `<!doctype html><html><head><script>const defined = (x) => { window.got = x; };</script></head><body></body></html>` }));
      const connected = nextEvent(wv, 'connect');
      const opened = await open(wv.url!);
      await connected;
      return opened;
    })();
    await page.waitForFunction(() => (window as unknown as { got?: string }).got === 'replayed');
    await until(() => lines.some((line) => line.includes('replay skipped') && line.includes('initWebSocket')), 10_000);
    // A live call of it still answers UNKNOWN_FUNCTION to the host.
    const [live] = await wv.callFunction('initWebSocket', 1);
    expect((live as PromiseRejectedResult).reason.code).toBe('UNKNOWN_FUNCTION');
    expect(errors).toEqual([]);
  });

  it('enablePersistence = false: nothing replays, neither stored before nor after; on again starts afresh', async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(
      makeRoot({ 'index.html': `<!doctype html><html><head><script>window.order = []; window.a = (x) => order.push('a:' + x); window.b = (x) => order.push('b:' + x);</script></head><body></body></html>` }),
    );
    await wv.callFunction('a', 'before');
    await wv.evaluate('x', "order.push('x:before')");
    wv.enablePersistence = false;
    expect(wv.enablePersistence).toBe(false);
    await wv.callFunction('b', 'while off');
    expect(await openReplayed(wv)).toEqual([]);
    wv.enablePersistence = true;
    await wv.callFunction('a', 'after');
    expect(await openReplayed(wv)).toEqual(['a:after']);
  });

  it("persistence keys are HISE's: names and uids share one namespace, case-insensitive", async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(
      makeRoot({ 'index.html': `<!doctype html><html><head><script>window.order = []; window.setup = (x) => order.push('setup:' + x); window.Setup = (x) => order.push('Setup:' + x); window.other = (x) => order.push('other:' + x);</script></head><body></body></html>` }),
    );
    await wv.callFunction('setup', 1);
    await wv.callFunction('other', 2);
    await wv.callFunction('Setup', 3); // replaces setup(1) in its first place
    await wv.evaluate('OTHER', "order.push('evaluate:OTHER')"); // replaces other(2)
    expect(await openReplayed(wv)).toEqual(['Setup:3', 'evaluate:OTHER']);
  });

  it('reset() forgets bound callbacks and persistent calls, also with enableCache on (HISE does nothing then)', async () => {
    const { wv } = await startHost();
    wv.enableCache = true;
    await wv.setIndexFile(makeRoot({ 'index.html': `<!doctype html><html><head><script>window.order = []; window.a = (x) => order.push('a:' + x);</script></head><body></body></html>` }));
    wv.bindCallback('gone', () => 1);
    await wv.callFunction('a', 'stored');
    wv.reset();
    expect(await openReplayed(wv)).toEqual([]);
    const { page } = await open(wv.url!);
    await page.waitForFunction(() => typeof (window as unknown as { probe?: unknown }).probe === 'function');
    expect(await page.evaluate(() => typeof (window as unknown as { gone?: unknown }).gone)).toBe('undefined');
  });

  it('reloadPages reloads, and the bridge, bindings and persistent calls come back', async () => {
    const { wv } = await startHost();
    wv.bindCallback('ping', () => 'pong');
    await wv.callFunction('mark', 'replayed');
    const { page } = await served(wv, `<script>window.mark = (x) => { window.marked = (window.marked || 0) + 1; };</script>`);
    await page.evaluate(() => ((window as unknown as { before: boolean }).before = true));
    const reconnected = nextEvent(wv, 'connect');
    expect(wv.reloadPages()).toBe(1);
    await reconnected;
    await page.waitForFunction(() => (window as unknown as { marked?: number }).marked === 1);
    expect(await page.evaluate(() => (window as unknown as { before?: boolean }).before)).toBeUndefined(); // a fresh document
    expect(await page.evaluate(() => (window as unknown as { ping: () => Promise<string> }).ping())).toBe('pong');
  });

  it("token 'auto': served pages (the drop-in included) connect; a connection without it is refused", async () => {
    const { wv, port } = await startHost({ token: 'auto' });
    expect(wv.token).toMatch(/^[\w-]{20,}$/);
    await wv.callFunction('start', null);
    const { page } = await served(
      wv,
      `<script src="/hisewebsocket-min.js"></script><script>window.start = () => { window.s = new HiseWebSocketServer(location.port); s.addEventListener((id, d) => window.last = d); };</script>`,
    );
    await until(() => wv.pages[0]?.connections.length === 2, 10_000); // the bridge and the drop-in, one tab
    wv.sendToWebsocket('x', 'with token');
    await page.waitForFunction(() => (window as unknown as { last?: string }).last === 'with token');
    const refused = nextEvent(wv, 'refused');
    const stranger = new RecordingClient(`ws://127.0.0.1:${port}/`);
    expect(await refusalOf(stranger.socket)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    await refused;
  });
});

describe('serving the root', () => {
  it('static files with MIME types; paths outside the root are not served', async () => {
    const { wv } = await startHost();
    await wv.setIndexFile(makeRoot({ 'index.html': '<html><head></head></html>', 'app.js': 'export {}', 'style.css': 'body{}', 'data.json': '{}' }));
    const get = (path: string) => fetch(new URL(path, wv.url));
    expect((await get('/')).headers.get('content-type')).toMatch(/text\/html/);
    expect(await (await get('/')).text()).toContain('<head><script src="/hise-webview-bridge.js"></script></head>');
    expect((await get('/app.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await get('/style.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect((await get('/data.json')).headers.get('content-type')).toMatch(/json/);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get('/missing.png')).status).toBe(404);
    await expect(wv.setIndexFile('/no/such/folder')).rejects.toMatchObject({ code: 'ROOT_NOT_FOUND' });
  });

  it('the bridge (which carries the token) is refused to a page of a foreign origin', async () => {
    const { wv } = await startHost({ token: 'auto' });
    const status = (headers: Record<string, string>) =>
      new Promise<number>((done, fail) => {
        get(new URL('/hise-webview-bridge.js', wv.url), { headers }, (response) => {
          response.resume();
          done(response.statusCode!);
        }).on('error', fail);
      });
    expect(await status({ 'Sec-Fetch-Site': 'cross-site', Referer: 'https://evil.example/app' })).toBe(403);
    expect(await status({ 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    expect(await status({ 'Sec-Fetch-Site': 'cross-site', Referer: 'http://127.0.0.1:5173/' })).toBe(200);
    expect(await status({ 'Sec-Fetch-Site': 'same-origin' })).toBe(200);
    expect(await status({ Referer: new URL('/', wv.url).href })).toBe(200); // a browser without Sec-Fetch-*
    expect(await status({})).toBe(403); // neither says which page asks: it may be an old browser on a web site
  });

  it('setHtmlContent serves one page with the bridge', async () => {
    const { wv } = await startHost();
    wv.setHtmlContent('<!doctype html><title>x</title><p>inline');
    const html = await (await fetch(wv.url!)).text();
    // After the doctype (where the browser's implied <head> starts): before it, the page would render in quirks mode.
    expect(html.startsWith('<!doctype html><script src="/hise-webview-bridge.js"></script><title>')).toBe(true);
  });
});
