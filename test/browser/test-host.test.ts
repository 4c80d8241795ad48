import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { encodeRecord, encodeRecordingHeader, readRecording } from '../../src/protocol/index.js';
import { createTestHost, TestHostError, type TestHost } from '../../src/testing/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { modernPage } from '../helpers/pairing-pages.js';

// hise-webview/testing: a UI test serves its page, scripts the host side, and awaits what the page does.
let browser: Browser;
const hosts: TestHost<any>[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function open(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

type Synth = {
  events: { level: number; state: { playing: boolean } };
  messages: { knob: number };
  host: { preset(name: string): { gain: number } };
  page: Record<string, never>;
};

const HISE_PAGE = `<!doctype html><html><head><script src="hisewebsocket-min.js"></script></head><body><script>
  window.server = new HiseWebSocketServer(Number(location.port));
  window.got = [];
  server.addEventListener((id, data) => { got.push([id, data]); if (id === 'ping') server.send('pong:' + data); });
</script></body></html>`;

describe('createTestHost', () => {
  it('serves a HISE-style page, sends it scripted messages and awaits what it sends back', async () => {
    const host = await createTestHost({ html: HISE_PAGE });
    hosts.push(host);
    const page = await open(host.url);
    const tab = await host.nextPage();
    expect(tab.id).toBeGreaterThan(0);
    host.sendToWebsocket('ping', 'one');
    expect(await host.nextMessage()).toBe('pong:one'); // HISE-format messages carry no id
    host.sendToWebsocket('ping', 'two');
    host.sendToWebsocket('ping', 'three');
    expect([await host.nextMessage(), await host.nextMessage()]).toEqual(['pong:two', 'pong:three']);
    expect(await page.evaluate(() => (window as any).got.length)).toBe(3);
  });

  it('awaits typed messages and calls of a modern page, and answers them', async () => {
    const host = await createTestHost<Synth>({ html: (port) => modernPage(port) });
    hosts.push(host);
    const page = await open(host.url);
    await page.evaluate(() => (window as any).opened);
    await page.evaluate(() => (window as any).client.send('knob', 0.5));
    const knob = await host.nextMessage('knob');
    expectTypeOf(knob).toEqualTypeOf<number>();
    expect(knob).toBe(0.5);

    const result = page.evaluate(() => (window as any).client.call('preset', 'warm'));
    const call = await host.nextCall('preset');
    expectTypeOf(call.args).toEqualTypeOf<[name: string]>();
    expect(call.args).toEqual(['warm']);
    expect(call.page).toBe(host.webView.pages[0]);
    call.answer({ gain: 0.5 });
    expect(await result).toEqual({ gain: 0.5 });

    const failed = page.evaluate(() => (window as any).client.call('preset', 'cold').catch((e: { code: string }) => e.code));
    (await host.nextCall('preset')).fail(Object.assign(new Error('no'), { code: 'E_PRESET' }));
    expect(await failed).toBe('E_PRESET');
    host.answer('preset', (name) => ({ gain: name.length }));
    expect(await page.evaluate(() => (window as any).client.call('preset', 'abc'))).toEqual({ gain: 3 });
  });

  it('bound callbacks wait for the test too', async () => {
    const host = await createTestHost({ html: '<!doctype html><p>bound</p>' });
    hosts.push(host);
    host.bindCallback('getValue');
    const page = await open(host.url);
    await page.waitForFunction(() => typeof (window as any).getValue === 'function');
    const result = page.evaluate(() => (window as any).getValue(7, 'x'));
    const call = await host.nextCall('getValue');
    expect(call.args).toEqual([7, 'x']);
    expect(call.page).toBe(host.webView.pages[0]);
    call.answer(42);
    expect(await result).toBe(42);
  });

  it('waits time out and a closed host refuses waits and answers waiting calls, with codes', async () => {
    const host = await createTestHost({ html: (port) => modernPage(port), timeout: 50 });
    await expect(host.nextMessage('never')).rejects.toMatchObject({ code: 'TIMEOUT', name: 'TestHostError' });
    const page = await open(host.url);
    await page.evaluate(() => (window as any).opened);
    const pending = page.evaluate(() => (window as any).client.call('slow').catch((e: { code: string }) => e.code));
    const waiting = host.nextMessage('late', { timeout: 10_000 }).catch((error: unknown) => error);
    await host.nextCall('slow', { timeout: 10_000 }); // taken and never answered
    await host.close();
    expect(await waiting).toBeInstanceOf(TestHostError);
    expect(await waiting).toMatchObject({ code: 'CLOSED' });
    expect(['DISCONNECTED', 'CALL_TIMEOUT']).toContain(await pending.catch(() => 'DISCONNECTED'));
    await expect(host.nextPage()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('plays a recording to the page and answers its calls from it', async () => {
    const bytes = [
      encodeRecordingHeader(0),
      encodeRecord({ kind: 'send', time: 0, page: 0, id: 'level', data: 0.25, retained: true, hise: false }),
      encodeRecord({ kind: 'call', time: 1, page: 1, call: 1, direction: 'page-to-host', callKind: 'call', name: 'preset', args: ['warm'] }),
      encodeRecord({ kind: 'settle', time: 2, call: 1, duration: 1, ok: true, value: { gain: 0.75 } }),
    ];
    const recording = readRecording(new Uint8Array(Buffer.concat(bytes)));
    const host = await createTestHost<Synth>({ html: (port) => modernPage(port), replay: recording });
    hosts.push(host);
    const page = await open(host.url);
    await page.waitForFunction(() => (window as any).received?.some((r: { id: string }) => r.id === 'level'));
    expect(await page.evaluate(() => (window as any).client.call('preset', 'warm'))).toEqual({ gain: 0.75 });
  });
});
