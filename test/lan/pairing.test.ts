// Pairing a phone on the LAN (docs/LAN.md): the "LAN" is 127.0.0.2 and "another device" binds
// 127.0.0.3, so every socket stays on loopback. Real hosts, real Chromium pages.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RefusedConnection, WebView } from '../../src/host/index.js';
import { CLI_HINTS, describeRefusal } from '../../src/dev/refusal-log.js';
import { launchChromium } from '../helpers/chromium.js';
import { clientsOpen, LAN_ADDRESS, OTHER_DEVICE, pairIn, postCode, removeLanDirectories, requestFrom, startLanHost } from '../helpers/lan.js';

let browser: Browser;
const hosts: WebView[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // evil.test resolves to the LAN address: a rebinding attack's page, served by the host itself.
  browser = await launchChromium([`--host-resolver-rules=MAP evil.test ${LAN_ADDRESS}`]);
}, 60_000);
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
});

/** A browser context closed after the test, before its host. */
async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  return context;
}
afterAll(async () => {
  await browser?.close();
  await removeLanDirectories();
});

async function host(...args: Parameters<typeof startLanHost>): ReturnType<typeof startLanHost> {
  const started = await startLanHost(...args);
  hosts.push(started.wv);
  return started;
}

function refusals(wv: WebView): RefusedConnection[] {
  const seen: RefusedConnection[] = [];
  wv.on('refused', (info) => seen.push(info));
  return seen;
}

describe('pairing with a one-time code', () => {
  it('L01 a page pairs with the code, connects over the LAN, and later visits connect with the device token', async () => {
    const { wv } = await host();
    const paired = new Promise((resolve) => wv.once('paired', resolve));
    const pairing = wv.lan!.pair();
    expect(pairing.url).toMatch(new RegExp(`^http://${LAN_ADDRESS.replace(/\./g, '\\.')}:\\d+/__hise-webview/lan/pair#code=[2-9A-Z]{8}&role=control$`));
    const context = await newContext();
    const page = await pairIn(context, pairing.url);
    expect(await page.title()).toBe('LAN page');
    await paired;
    await clientsOpen(page);
    expect(wv.devices).toMatchObject([{ role: 'control', name: 'Linux Chrome' }]);
    // The code is in the fragment: it never reached the server, and the page dropped it from the address.
    expect(page.url()).toBe(wv.lan!.url);
    // Both clients dialled localhost:PORT and were sent to the LAN origin: the host sees LAN connections.
    const lanConnections = wv.pages.flatMap((p) => p.connections).filter((c) => c.origin === wv.lan!.url!.slice(0, -1));
    expect(lanConnections.length).toBeGreaterThanOrEqual(3); // the bridge, the drop-in, the modern client
    wv.sendToWebsocket('hello', 'phone');
    await page.waitForFunction(() => (window as unknown as { got: unknown[][] }).got.filter((g) => g[1] === 'hello').length === 2);

    // A later visit: no code, the cookie is the device token.
    const again = await context.newPage();
    await again.goto(wv.lan!.url!);
    await clientsOpen(again);
    expect(await again.title()).toBe('LAN page');
    expect(wv.devices).toHaveLength(1);
    const cookies = await context.cookies();
    expect(cookies).toMatchObject([{ httpOnly: true, sameSite: 'Strict', secure: false }]);
  }, 60_000);

  it('L02 a device without a token gets the "not paired" page and its sockets are refused (401)', async () => {
    const { wv } = await host();
    const seen = refusals(wv);
    const page = await (await newContext()).newPage();
    const response = await page.goto(wv.lan!.url!);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('not paired');
    const upgrade = await requestFrom(wv.lan!.url!, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', origin: wv.lan!.url!.slice(0, -1) } });
    expect(upgrade.status).toBe(401);
    expect(seen.map((s) => s.reason)).toEqual(['device', 'device']);
    expect(seen[1]!.remoteAddress).toBe(OTHER_DEVICE);
  }, 60_000);

  it('L03 a reused code is refused: one code pairs one device', async () => {
    const { wv } = await host();
    const pairing = wv.lan!.pair();
    expect((await postCode(wv, pairing.code)).status).toBe(200); // the first device (L01 pairs in a page)
    const second = await pairIn(await newContext(), pairing.url);
    expect(await second.title()).toBe('Not paired: LAN_CODE_REFUSED');
    expect(await second.textContent('body')).toContain('used up');
    expect(wv.devices).toHaveLength(1);
  }, 60_000);

  it('L04 an expired code is refused', async () => {
    const { wv } = await host({ codeLifetime: 1 });
    const seen = refusals(wv);
    const pairing = wv.lan!.pair();
    await expect.poll(() => Date.now() > pairing.expires).toBe(true); // the clock passes the expiry (no fixed sleep)
    const page = await pairIn(await newContext(), pairing.url);
    expect(await page.title()).toBe('Not paired: LAN_CODE_REFUSED');
    expect(await page.textContent('body')).toContain('expired');
    expect(seen.map((s) => s.reason)).toEqual(['pairing']);
    expect(wv.devices).toEqual([]);
  }, 60_000);

  it('L05 a guessed code is refused, and the one that was made still pairs', async () => {
    const { wv } = await host();
    const pairing = wv.lan!.pair();
    const guess = pairing.url.replace(/code=[^&]+/, `code=${pairing.code === '22222222' ? '33333333' : '22222222'}`);
    const page = await pairIn(await newContext(), guess);
    expect(await page.title()).toBe('Not paired: LAN_CODE_REFUSED');
    expect(await page.textContent('body')).toContain('not one the host made');
    expect((await postCode(wv, pairing.code)).status).toBe(200);
  }, 60_000);

  it('L06 pairing attempts are rate-limited per address and in total; over the limit even the right code is not looked at (429)', async () => {
    const { wv } = await host({ maxAttemptsPerAddress: 3, maxAttempts: 5 });
    const seen = refusals(wv);
    const pairing = wv.lan!.pair();
    for (let i = 0; i < 3; i++) expect((await postCode(wv, 'WRONG234')).status).toBe(403);
    const limited = await postCode(wv, pairing.code);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ code: 'LAN_RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBe('60');
    // Another address still has its own 3, but only 2 are left in total.
    for (let i = 0; i < 2; i++) expect((await postCode(wv, 'WRONG234', '127.0.0.4')).status).toBe(403);
    expect((await postCode(wv, pairing.code, '127.0.0.5')).status).toBe(429);
    expect(seen.filter((s) => s.reason === 'rate').map((s) => s.remoteAddress)).toEqual([OTHER_DEVICE, '127.0.0.5']);
    expect(wv.devices).toEqual([]);
  }, 60_000);
});

describe('the LAN gate: Host and Origin', () => {
  it('L07 a rebinding page (evil.test resolving to the LAN address) is refused: its Host is not the LAN address (403)', async () => {
    const { wv } = await host();
    const seen = refusals(wv);
    const context = await newContext();
    const pairing = wv.lan!.pair();
    const page = await context.newPage();
    const response = await page.goto(pairing.url.replace(LAN_ADDRESS, 'evil.test'));
    expect(response?.status()).toBe(403);
    // The page, and its favicon request when the browser makes one: each refused for its Host.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((s) => s.reason === 'host' && s.host === `evil.test:${wv.lan!.port}` && s.lan === true)).toBe(true);
    expect(wv.devices).toEqual([]);
    // The terminal's line says what admits a device (the QR code's URL), not a flag that does not apply on the LAN.
    const line = describeRefusal(seen[0]!, wv, CLI_HINTS);
    expect(line).toMatch(/^LAN: refused a request for Host evil\.test:\d+: .*QR code/);
    expect(line).not.toContain('--allow-host');
  }, 60_000);

  it('L08 a paired device\'s token from a page of another origin is refused: Origin must be the LAN origin (403)', async () => {
    const { wv } = await host();
    const pairing = wv.lan!.pair();
    const answer = await postCode(wv, pairing.code);
    const cookie = String(answer.headers['set-cookie']).split(';')[0]!;
    const seen = refusals(wv);
    const upgrade = (origin: string | undefined) =>
      requestFrom(wv.lan!.url!, {
        headers: { cookie, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...(origin === undefined ? {} : { origin }) },
      });
    expect((await upgrade(`http://${OTHER_DEVICE}:8080`)).status).toBe(403);
    expect((await upgrade(`http://localhost:${wv.lan!.port}`)).status).toBe(403);
    expect((await upgrade(undefined)).status).toBe(403); // a LAN socket must say where it comes from
    expect(seen.map((s) => s.reason)).toEqual(['origin', 'origin', 'origin']);
    const line = describeRefusal(seen[0]!, wv, CLI_HINTS);
    expect(line).toMatch(/^LAN: refused a page from http:\/\/127\.0\.0\.3:8080: .*QR code/);
    expect(line).not.toContain('--allow-origin');
    // A pairing POST from another origin (a web page trying to pair the visitor's browser) is refused too.
    const origin = wv.lan!.url!.slice(0, -1);
    const foreign = await requestFrom(`${origin}/__hise-webview/lan/pair`, { method: 'POST', headers: { origin: 'http://evil.test' }, body: '{"code":"x"}' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'LAN_ORIGIN_REFUSED' });
    // And the right one passes: the socket opens (101).
    expect((await upgrade(origin)).status).toBe(101);
  }, 60_000);

  it('L09 the LAN never serves the loopback token nor the mounted tools', async () => {
    const { wv } = await host({}, { token: 'auto' });
    wv.mount('/__hise-webview/tool/', { request: (_request, response) => void response.end('tool') });
    const answer = await postCode(wv, wv.lan!.pair().code);
    const cookie = String(answer.headers['set-cookie']).split(';')[0]!;
    const bridge = await requestFrom(`${wv.lan!.url!}hise-webview-bridge.js`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(bridge.status).toBe(200);
    expect(bridge.body).not.toContain(wv.token!);
    expect(bridge.body).toContain('"lan":true');
    expect((await requestFrom(`${wv.lan!.url!}__hise-webview/tool/`, { headers: { cookie } })).status).toBe(404);
    expect((await requestFrom(`http://127.0.0.1:${wv.port}/__hise-webview/tool/`, { from: '127.0.0.1', headers: { 'x-token': wv.token! } })).body).toBe('tool');
  }, 60_000);
});
