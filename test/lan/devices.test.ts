// Paired devices (docs/LAN.md): a view device is refused on every write path, revoke cuts a device
// off at once and for good (also after a restart), HTTPS with a generated certificate. The "LAN"
// is 127.0.0.2; real hosts, real Chromium pages.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page as BrowserPage } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebView, WebViewError } from '../../src/host/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { PrivateDirectory } from '../../src/host/lan/private-file.js';
import { loadTls } from '../../src/host/lan/tls.js';
import { clientsOpen, LAN_ADDRESS, lanDirectory, pairIn, removeLanDirectories, startLanHost } from '../helpers/lan.js';

let browser: Browser;
const hosts: WebView[] = [];
const contexts: BrowserContext[] = [];
/** Where L13's host finds the certificate generated before the browser started, which trusts its key. */
let tlsDirectory: string;
let spki: string;

beforeAll(async () => {
  tlsDirectory = await lanDirectory();
  spki = (await loadTls('generate', [LAN_ADDRESS], new PrivateDirectory(tlsDirectory)))!.spki;
  browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spki}`]);
}, 60_000);
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
});
afterAll(async () => {
  await browser?.close();
  await removeLanDirectories();
});

async function host(...args: Parameters<typeof startLanHost>): ReturnType<typeof startLanHost> {
  const started = await startLanHost(...args);
  hosts.push(started.wv);
  return started;
}

/** Pairs a fresh browser context with a code of `role`; its page has both clients open. */
async function pairDevice(wv: WebView, role: 'control' | 'view'): Promise<BrowserPage> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await pairIn(context, wv.lan!.pair(role).url);
  expect(await page.title()).toBe('LAN page');
  await clientsOpen(page);
  return page;
}

function lanConnections(wv: WebView): number {
  return wv.pages.flatMap((page) => page.connections).filter((connection) => connection.origin === wv.lan!.url!.slice(0, -1)).length;
}

/** Every write path a page has, run in the page; what each call's promise ended with. */
async function writeEverything(page: BrowserPage): Promise<string[]> {
  return page.evaluate(async () => {
    const w = window as unknown as Record<string, any>;
    w.hise.send('text from the page'); // HISE format: a message
    w.hise.send(JSON.stringify({ hwv: 'param', id: 'gain', op: 'set', v: 0.9 })); // HISE format: a parameter change
    w.client.send('fromPage', 1); // modern: a message
    const gain = w.client.parameter('gain');
    gain.begin(); // a gesture …
    gain.set(0.9); // … a set …
    gain.end(); // … and its end
    const outcome = (promise: Promise<unknown>) => promise.then((value) => `ok ${String(value)}`, (error) => `refused ${error.code}`);
    return Promise.all([outcome(w.client.call('hostFunction')), outcome(w.bound())]);
  });
}

describe('roles', () => {
  it('L10 a view device is refused on every write path (messages both formats, parameter set and gesture, host calls, bound callbacks) and still receives', async () => {
    const { wv } = await host();
    const ran: string[] = [];
    const errors: WebViewError[] = [];
    wv.on('error', (error) => errors.push(error));
    wv.setWebSocketCallback((data) => ran.push(`message ${JSON.stringify(data)}`));
    wv.onMessage('fromPage', () => ran.push('onMessage'));
    wv.handle('hostFunction', () => ran.push('handler') && 'handled');
    wv.bindCallback('bound', () => ran.push('bound callback') && 'bound');
    const gain = wv.parameter('gain', { min: 0, max: 1, default: 0.5 });
    gain.on('change', () => ran.push('parameter change'));
    gain.on('gesture', () => ran.push('gesture'));

    const view = await pairDevice(wv, 'view');
    expect(wv.devices).toMatchObject([{ role: 'view' }]);
    expect(await writeEverything(view)).toEqual(['refused LAN_VIEW_ONLY', 'refused LAN_VIEW_ONLY']);
    // One refusal per write: 2 HISE-format, the modern message, begin, set, end, the call, the callback.
    await expect.poll(() => errors.length).toBe(8);
    expect(errors.every((error) => error.code === 'LAN_VIEW_ONLY')).toBe(true);
    const paths = errors.map((error) => error.message.replace(/^.*is a view device, refused: /, ''));
    expect(paths.sort()).toEqual(
      [
        'a message (HISE format)',
        'a parameter change (HISE format)',
        'a message "fromPage"',
        'parameter "gain": a set or gesture',
        'parameter "gain": a set or gesture',
        'parameter "gain": a set or gesture',
        'a call of host function "hostFunction"',
        'a bound callback',
      ].sort(),
    );
    expect(ran).toEqual([]);
    expect(gain.value).toBe(0.5);

    // It receives messages, streams and parameter values.
    wv.send('news', 'for everyone');
    wv.addBufferToWebSocket(1, new Float32Array([1, 2]));
    wv.updateBuffer(1);
    gain.set(0.25);
    await view.waitForFunction(() => {
      const w = window as unknown as Record<string, any>;
      return w.got.some((g: unknown[]) => g[1] === 'news') && w.got.some((g: unknown[]) => g[0] === 'hise' && g[2] instanceof Float32Array) && w.client.parameter('gain').value === 0.25;
    });

    // The same writes from a control device all arrive.
    const control = await pairDevice(wv, 'control');
    expect(await writeEverything(control)).toEqual(['ok handled', 'ok bound']);
    await expect.poll(() => ran.filter((entry) => entry === 'handler' || entry === 'bound callback' || entry === 'onMessage').length).toBe(3);
    expect(errors).toHaveLength(8);
  }, 60_000);
});

describe('revoke', () => {
  it('L11 revoke cuts the device\'s connections within 100 ms, its token is refused at once and after a restart; other devices stay paired', async () => {
    const directory = await lanDirectory();
    const { wv, port } = await host({ directory });
    const kept = await pairDevice(wv, 'control');
    const revoked = await pairDevice(wv, 'control');
    const [keptDevice, revokedDevice] = wv.devices;
    await expect.poll(() => lanConnections(wv)).toBe(6);

    const gone = new Promise<number>((resolve) => wv.on('disconnect', () => resolve(performance.now())));
    const start = performance.now();
    expect(wv.revoke(revokedDevice!.id)).toBe(true);
    expect((await gone) - start).toBeLessThan(100);
    await expect.poll(() => lanConnections(wv)).toBe(3);
    expect(wv.devices.map((device) => device.id)).toEqual([keptDevice!.id]);
    expect((await revoked.reload())?.status()).toBe(401);
    expect(wv.revoke(revokedDevice!.id)).toBe(false);

    // The devices file: private to this user, no token in it.
    const file = join(directory, 'lan-devices.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    const cookies = await kept.context().cookies();
    expect(await readFile(file, 'utf8')).not.toContain(cookies[0]!.value);

    // A restart on the same port and directory: the kept device connects with its token, the revoked one is refused.
    await wv.close();
    const restarted = await host({ directory }, {}, port);
    expect(restarted.wv.devices.map((device) => device.id)).toEqual([keptDevice!.id]);
    expect((await revoked.reload())?.status()).toBe(401);
    await kept.reload();
    await clientsOpen(kept);
    expect(lanConnections(restarted.wv)).toBe(3);
  }, 60_000);

  it('L12 an ephemeral host forgets its devices when it stops', async () => {
    const directory = await lanDirectory();
    const { wv, port } = await host({ directory, ephemeral: true });
    const page = await pairDevice(wv, 'control');
    await wv.close();
    await expect(stat(join(directory, 'lan-devices.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    const restarted = await host({ directory, ephemeral: true }, {}, port);
    expect(restarted.wv.devices).toEqual([]);
    expect((await page.reload())?.status()).toBe(401);
  }, 60_000);
});

describe('HTTPS', () => {
  it('L13 a generated self-signed certificate (kept per user, 0600): Chromium trusting its key pairs and connects over wss', async () => {
    // The certificate was generated into this directory before the browser started (beforeAll): the host keeps using it.
    const { wv } = await host({ directory: tlsDirectory, https: true });
    expect(wv.lan!.spki).toBe(spki);
    expect(wv.lan!.url).toBe(`https://${LAN_ADDRESS}:${wv.lan!.port}/`);
    expect(wv.lan!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    for (const name of ['lan-cert.pem', 'lan-key.pem']) expect((await stat(join(tlsDirectory, name))).mode & 0o777).toBe(0o600);
    const page = await pairDevice(wv, 'control');
    expect(page.url()).toBe(wv.lan!.url);
    expect(await page.evaluate(() => (window as unknown as Record<string, any>).hise.socket.url)).toMatch(/^wss:\/\/127\.0\.0\.2:\d+\//);
    expect(await page.context().cookies()).toMatchObject([{ secure: true, httpOnly: true }]);
    wv.sendToWebsocket('secure', 'hello');
    await page.waitForFunction(() => (window as unknown as { got: unknown[][] }).got.some((g) => g[1] === 'secure'));
    // Plain HTTP is not served on the TLS port.
    await expect(fetch(wv.lan!.url!.replace('https:', 'http:'))).rejects.toThrow();
  }, 60_000);
});
