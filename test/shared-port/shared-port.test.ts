import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { HISE_CLIENT_JS as HISE_CLIENT, hiseTitle } from '../helpers/hise-client.js';
import { until } from '../helpers/node-client.js';
import { servePages, type PageServer } from '../helpers/page-server.js';
import { freePort, InstanceProcess, type InstanceEvent } from './instance-handle.js';

// Three (then four) instance processes on one fixed port, and pages in Chromium: HISE's stock client
// served by B, the modern client served by C, and the drop-in on a page no instance serves (it
// belongs to whichever instance is the hub). One browser and one set of processes for the file; the
// tests run in order and each builds on the previous one's state.

const RECORD = `window.received = []; window.record = (id, data) => window.received.push({ id, value: ArrayBuffer.isView(data) ? Array.from(data) : data });`;

function legacyPage(script: string, port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><script src="${script}"></script><script>${RECORD}
  window.server = new HiseWebSocketServer(${port});
  server.addEventListener(record);
  window.sendText = (s) => server.send(s);
  window.whoAmI = () => 'legacy page';
</script></head><body>legacy</body></html>`;
}

function modernPage(port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><script>${RECORD}</script><script type="module">
  import { connect } from '/hise-webview-client.js';
  const client = connect({ port: ${port}, minReconnectDelay: 50, maxReconnectDelay: 200 });
  client.onAny(record);
  window.client = client;
  window.sendText = (s) => client.send('text', s);
  window.whoAmI = () => 'modern page';
</script></head><body>modern</body></html>`;
}

let browser: Browser;
let pageServer: PageServer;
let port: number;
const sharedDirectory = mkdtempSync(join(tmpdir(), 'hise-shared-secret-'));
const roots: string[] = [];
const processes: InstanceProcess[] = [];
let a: InstanceProcess;
let b: InstanceProcess;
let c: InstanceProcess;
let ids: { a: string; b: string; c: string };
let legacyAtB: BrowserPage;
let urlB: string;
let modernAtC: BrowserPage;
let dropInAtHub: BrowserPage;

function root(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hise-shared-root-'));
  roots.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function instance(rootDir?: string): InstanceProcess {
  const started = new InstanceProcess(port, sharedDirectory, rootDir);
  processes.push(started);
  return started;
}

async function open(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

const received = (page: BrowserPage): Promise<{ id: string; value: unknown }[]> => page.evaluate(() => (window as unknown as { received: { id: string; value: unknown }[] }).received);

async function waitReceived(page: BrowserPage, id: string, what: string, count = 1): Promise<{ id: string; value: unknown }[]> {
  await page.waitForFunction(([wanted, n]) => (window as unknown as { received: { id: string }[] }).received.filter((m) => m.id === wanted).length >= (n as number), [id, count] as const, { timeout: 20_000 }).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`);
  });
  return (await received(page)).filter((m) => m.id === id);
}

/** Waits until `instance`'s callback got `text` from a page; returns that message. */
async function gotFromPage(instance: InstanceProcess, text: string): Promise<InstanceEvent> {
  return instance.waitFor((e) => e.ev === 'message' && e.data === text, 20_000, `page message '${text}'`);
}

/** Waits until every one of `instances` has a role and names the same hub; that hub's id. */
async function settledHub(instances: InstanceProcess[]): Promise<string> {
  let agreed: string | undefined;
  const deadline = performance.now() + 20_000;
  while (agreed === undefined) {
    const states = await Promise.all(instances.map((i) => i.state()));
    const hubs = new Set(states.map((state) => (state.role === undefined ? undefined : state.hub)));
    if (hubs.size === 1 && !hubs.has(undefined) && states.some((state) => state.role === 'hub')) agreed = states[0]!.hub;
    else if (performance.now() > deadline) throw new Error(`no agreed hub: ${JSON.stringify(states.map((state) => [state.self, state.role, state.hub]))}`);
  }
  return agreed;
}

beforeAll(async () => {
  browser = await launchChromium();
  port = await freePort();
  const legacyFiles: Record<string, string> = { 'index.html': legacyPage('hisewebsocket-min.js', port) };
  const rootB = root(legacyFiles);
  if (HISE_CLIENT) copyFileSync(resolve(HISE_CLIENT), join(rootB, 'hisewebsocket-min.js'));
  a = instance();
  const stateA = await a.started();
  b = instance(rootB);
  const stateB = await b.started();
  c = instance(root({ 'index.html': modernPage(port) }));
  const stateC = await c.started();
  ids = { a: stateA.self, b: stateB.self, c: stateC.self };
  expect([stateA.role, stateB.role, stateC.role]).toEqual(['hub', 'member', 'member']);
  expect([stateA.port, stateB.port, stateC.port]).toEqual([port, port, port]);

  pageServer = await servePages({ '/': legacyPage('/drop-in.js', port), '/drop-in.js': readFileSync(new URL('../../dist/hisewebsocket-min.js', import.meta.url), 'utf8') });
  urlB = stateB.url;
  legacyAtB = await open(stateB.url);
  modernAtC = await open(stateC.url);
  dropInAtHub = await open(pageServer.url('/'));
  await b.waitFor((e) => e.ev === 'connect', 20_000, 'the legacy page at B');
  await c.waitFor((e) => e.ev === 'connect', 20_000, 'the modern page at C');
  await a.waitFor((e) => e.ev === 'connect', 20_000, 'the drop-in page at the hub');
  await modernAtC.evaluate(() => (window as unknown as { client: { ready: Promise<void> } }).client.ready);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await Promise.all(processes.map((p) => p.stop()));
  for (const dir of [...roots, sharedDirectory]) rmSync(dir, { recursive: true, force: true });
});

describe.sequential('three instance processes on one port', () => {
  // Without HISE_CLIENT_JS, B's page runs the drop-in (B serves its own at /hisewebsocket-min.js) and the
  // tests below still run; this one, counted as skipped, says that HISE's stock client was not in them.
  it.skipIf(!HISE_CLIENT)(hiseTitle("B's page runs HISE's stock client, from the file HISE_CLIENT_JS names"), async () => {
    const served = await (await fetch(new URL('hisewebsocket-min.js', urlB))).text();
    expect(served).toBe(readFileSync(resolve(HISE_CLIENT!), 'utf8'));
    expect(await legacyAtB.evaluate('typeof HiseWebSocketServer')).toBe('function'); // a global class, as HISE's client declares it
  });

  it('every page gets what any instance sends; every instance gets what any page sends, with the page and its instance', async () => {
    await a.command('send', { api: 'hise', id: 'fromA', data: 'hello from A' });
    await b.command('send', { api: 'any', id: 'fromB', data: { n: 2 } });
    await c.command('send', { api: 'hise', id: 'fromC', data: new Float32Array([0.5, -1]) });
    for (const page of [legacyAtB, modernAtC, dropInAtHub]) {
      expect((await waitReceived(page, 'fromA', 'A → page'))[0]!.value).toBe('hello from A');
      expect(JSON.stringify((await waitReceived(page, 'fromB', 'B → page'))[0]!.value)).toContain('2');
      expect((await waitReceived(page, 'fromC', 'C → page'))[0]!.value).toEqual([0.5, -1]);
    }
    await legacyAtB.evaluate(() => (window as unknown as { sendText(s: string): void }).sendText('legacy says hi'));
    await modernAtC.evaluate(() => (window as unknown as { sendText(s: string): void }).sendText('modern says hi'));
    await dropInAtHub.evaluate(() => (window as unknown as { sendText(s: string): void }).sendText('drop-in says hi'));
    for (const who of [a, b, c]) {
      expect(((await gotFromPage(who, 'legacy says hi')).page as { instance: string }).instance).toBe(ids.b);
      const modern = await gotFromPage(who, 'modern says hi');
      expect(modern.id).toBe('text');
      expect(modern.page).toMatchObject({ instance: ids.c, extended: true });
      expect(((await gotFromPage(who, 'drop-in says hi')).page as { instance: string }).instance).toBe(ids.a);
    }
    // Each exactly once.
    for (const who of [a, b, c]) expect(who.messages().filter((m) => m.data === 'modern says hi')).toHaveLength(1);
  });

  it('sendTo and direct communication reach only the pages the instance serves', async () => {
    expect(await b.command('sendToOwn', { id: 'onlyB', data: 'for B' })).toEqual(['sent']);
    await b.command('send', { api: 'hise', id: 'marker', data: 'after onlyB' });
    for (const page of [modernAtC, dropInAtHub]) await waitReceived(page, 'marker', 'marker');
    expect((await waitReceived(legacyAtB, 'onlyB', 'onlyB'))[0]!.value).toBe('for B');
    for (const page of [modernAtC, dropInAtHub]) expect((await received(page)).some((m) => m.id === 'onlyB')).toBe(false);

    expect(await c.command('callFunction', { name: 'whoAmI' })).toEqual(['modern page']);
    expect(await b.command('callFunction', { name: 'whoAmI' })).toEqual(['legacy page']);
    expect(await a.command('callFunction', { name: 'whoAmI' })).toEqual([]); // the drop-in page has no bridge
    // A bound callback called in C's page runs in C.
    expect(await modernAtC.evaluate(() => (window as unknown as { whoServes(): Promise<string> }).whoServes())).toBe(ids.c);
    expect(await legacyAtB.evaluate(() => (window as unknown as { whoServes(): Promise<string> }).whoServes())).toBe(ids.b);
  });

  it('instances message each other: one, or all', async () => {
    expect(await b.command('instanceSend', { to: ids.c, id: 'direct', data: { x: 1 } })).toBe(true);
    expect(await a.command('instanceSend', { to: 'all', id: 'everyone', data: [1, 2] })).toBe(true);
    expect(await c.command('instanceSend', { to: 'nobody', id: 'x', data: 1 })).toBe(false);
    expect((await c.waitFor((e) => e.ev === 'instance-message' && e.id === 'direct')).from).toBe(ids.b);
    for (const who of [b, c]) expect((await who.waitFor((e) => e.ev === 'instance-message' && e.id === 'everyone')).data).toEqual([1, 2]);
    await b.command('instanceSend', { to: ids.a, id: 'toHub', data: 'h' });
    expect((await a.waitFor((e) => e.ev === 'instance-message' && e.id === 'toHub')).from).toBe(ids.b);
    expect(b.events.some((e) => e.ev === 'instance-message' && e.id === 'direct')).toBe(false);
    expect(a.events.some((e) => e.ev === 'instance-message' && e.id === 'everyone')).toBe(false); // not to the sender
  });

  it('the hub SIGKILLed: a survivor takes the port, the other re-joins, pages reconnect, nothing is duplicated for the modern session', async () => {
    await b.command('retain', { ids: ['state'] });
    await b.command('send', { api: 'any', id: 'state', data: 'current' });
    await waitReceived(dropInAtHub, 'state', 'retained state before');
    const killedAt = performance.now();
    a.kill('SIGKILL');
    // B sends while the port changes hands: its link may still look open or may be down already.
    for (let n = 1; n <= 5; n++) await b.command('send', { api: 'any', id: 'n', data: n });
    // And the modern page sends too: its client holds what it could not send and its instance
    // delivers each message once (the session's ledger), so every instance gets each once.
    await modernAtC.evaluate(() => {
      for (let i = 1; i <= 3; i++) (window as unknown as { sendText(s: string): void }).sendText(`during ${i}`);
    });
    // B joined first, so it normally takes over; on a loaded machine C may, which is as good.
    const hub = await settledHub([b, c]);
    const takeover = performance.now() - killedAt;
    expect([ids.b, ids.c]).toContain(hub);
    console.log(`SIGKILL failover: ${hub === ids.b ? 'B' : 'C'} holds the port, all agreed ${takeover.toFixed(0)} ms after the kill; measured by each from losing its link: B ${(await b.state()).lastFailoverMs?.toFixed(1)} ms, C ${(await c.state()).lastFailoverMs?.toFixed(1)} ms`);
    for (let n = 6; n <= 10; n++) await b.command('send', { api: 'any', id: 'n', data: n });
    const got = await waitReceived(modernAtC, 'n', 'B → C’s modern page across the failover', 10);
    expect(got.map((m) => m.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The drop-in page reconnected by itself, now to the new hub, and got the retained state again.
    await waitReceived(dropInAtHub, 'state', 'retained state after the failover', 2);
    await b.command('send', { api: 'hise', id: 'afterKill', data: 'yes' });
    await waitReceived(dropInAtHub, 'afterKill', 'drop-in after the failover');
    await modernAtC.evaluate(() => (window as unknown as { sendText(s: string): void }).sendText('modern after kill'));
    expect(((await gotFromPage(b, 'modern after kill')).page as { instance: string }).instance).toBe(ids.c);
    expect((await b.state()).list.map((i) => i.id).sort()).toEqual([ids.b, ids.c].sort());
    for (const who of [b, c]) {
      await gotFromPage(who, 'during 3');
      expect(who.messages().filter((m) => String(m.data).startsWith('during ')).map((m) => m.data)).toEqual(['during 1', 'during 2', 'during 3']);
    }
  });

  it('the hub closed gracefully: a fourth instance that joined late takes part, a survivor takes over, a modern session gets each message once', async () => {
    const d = instance(root({ 'index.html': modernPage(port) }));
    const stateD = await d.started();
    expect(stateD.role).toBe('member');
    const modernAtD = await open(stateD.url);
    await d.waitFor((e) => e.ev === 'connect', 20_000, 'the modern page at D');
    await modernAtD.evaluate(() => (window as unknown as { client: { ready: Promise<void> } }).client.ready);
    // A page D serves started from the retained state B set (it travelled with D's join).
    expect((await waitReceived(modernAtD, 'state', 'retained state at a new page of D'))[0]!.value).toBe('current');
    const hubBefore = (await b.state()).hub;
    const [closer, survivor] = hubBefore === ids.b ? [b, c] : [c, b];
    // The modern page whose instance survives: C's when B closes, D's when C does.
    const watched = closer === c ? modernAtD : modernAtC;
    const closing = closer.command('close');
    const closedAt = performance.now();
    for (let m = 1; m <= 5; m++) await d.command('send', { api: 'any', id: 'm', data: m });
    const hub = await settledHub([survivor, d]);
    const takeover = performance.now() - closedAt;
    expect(hub).not.toBe(hubBefore);
    await closing;
    console.log(`graceful failover: all agreed on the new hub ${takeover.toFixed(0)} ms after the old one began closing (it measured ${(await (hub === stateD.self ? d : survivor).state()).lastFailoverMs?.toFixed(1)} ms)`);
    for (let m = 6; m <= 10; m++) await d.command('send', { api: 'any', id: 'm', data: m });
    const got = await waitReceived(watched, 'm', 'D → a surviving modern page across the failover', 10);
    expect(got.map((x) => x.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await watched.evaluate(() => (window as unknown as { sendText(s: string): void }).sendText('modern after close'));
    await gotFromPage(d, 'modern after close');
    await gotFromPage(survivor, 'modern after close');
    // The drop-in page that belonged to the hub follows it again (once it has, the retained state
    // arrives a third time; what is sent to a HISE-style page while it reconnects is lost, as in HISE).
    await waitReceived(dropInAtHub, 'state', 'retained state after the graceful failover', 3);
    await d.command('send', { api: 'hise', id: 'afterClose', data: 'yes' });
    await waitReceived(dropInAtHub, 'afterClose', 'drop-in after the graceful failover');
  });
});
