import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDINGS_ID, bindingNameProblem, isPlainIdentifier, MAX_BINDING_NAME_LENGTH } from '../../src/protocol/index.js';
import { WINDOW_NAMES } from '../../src/protocol/window-names.js';
import { WebView, WebViewError } from '../../src/host/index.js';
import { anyMessage } from '../../src/host/delivery/outbound.js';
import { launchChromium } from '../helpers/chromium.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

// Issue 10, class 7: bindCallback('__proto__') broke the bridge in every page and
// bindCallback('location') navigated pages away. Names of bound callbacks are plain identifiers that
// shadow nothing on window, checked by the host (a static list) and again by the bridge (at run time).

const SHADOWING = ['__proto__', 'location', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'document', 'top', 'parent', 'self', 'window', 'frames', 'opener', 'name', 'status', 'history', 'navigator', 'fetch', 'WebSocket', 'setTimeout', 'eval', 'Object', 'Array', 'Promise', 'JSON', 'alert', 'close', 'open', 'postMessage', 'addEventListener', 'onmessage', 'localStorage', 'crypto', 'webkit', 'chrome', 'external', 'globalThis', 'undefined', 'NaN', 'Infinity'];
const NOT_IDENTIFIERS = ['', 'a.b', 'a b', '1abc', 'my-name', 'ä', 'x\n', 'x\u202e', 'a[0]', 'x'.repeat(MAX_BINDING_NAME_LENGTH + 1)];
const RESERVED = ['if', 'delete', 'class', 'let', 'await', 'yield', 'arguments', 'enum', 'this', 'null', 'true'];
const GOOD = ['setGain', 'onNoteOn', '$x', '_y', 'loadPreset2', 'x'.repeat(MAX_BINDING_NAME_LENGTH)];

describe('bound callback names: the host', () => {
  it('N1 refuses names that shadow window, reserved words and non-identifiers with INVALID_NAME; accepts plain names', () => {
    const wv = new WebView();
    for (const name of [...SHADOWING, ...NOT_IDENTIFIERS, ...RESERVED, 42, null, undefined]) {
      expect(() => wv.bindCallback(name as string, () => undefined), String(name)).toThrow(
        expect.objectContaining({ code: 'INVALID_NAME' }) as unknown as WebViewError,
      );
    }
    for (const name of GOOD) expect(() => wv.bindCallback(name, () => undefined), name).not.toThrow();
  });

  it('says why', () => {
    expect(bindingNameProblem('location')).toBe('shadows-window');
    expect(bindingNameProblem('if')).toBe('reserved-word');
    expect(bindingNameProblem('a.b')).toBe('not-an-identifier');
    expect(bindingNameProblem('setGain')).toBeUndefined();
    expect(isPlainIdentifier('if')).toBe(false);
  });

  it('every name of the static list is refused', () => {
    expect(WINDOW_NAMES.length).toBeGreaterThan(1000);
    for (const name of WINDOW_NAMES) expect(bindingNameProblem(name), name).toMatch(/^(shadows-window|reserved-word)$/); // eval is both
  });
});

describe('bound callback names: in Chromium', () => {
  let browser: Browser;
  const roots: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  async function servedPage(wv: WebView, body = '') {
    const root = mkdtempSync(join(tmpdir(), 'hise-webview-names-'));
    roots.push(root);
    writeFileSync(join(root, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
    await wv.setIndexFile(root);
    const connected = nextEvent(wv, 'connect');
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(wv.url!);
    await connected;
    await until(() => wv.pages.some((p) => p.bridged), 10_000, 'the bridge');
    return { page, errors, bridge: wv.pages.find((p) => p.bridged)!.connections.find((c) => c.bridged)! };
  }

  it("the static list holds every name this Chromium's window has (else run scripts/window-names.mjs)", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto('about:blank');
    const names = await page.evaluate(() => {
      const all = new Set<string>();
      for (let o: object | null = window; o !== null; o = Object.getPrototypeOf(o) as object | null) for (const n of Object.getOwnPropertyNames(o)) all.add(n);
      return [...all];
    });
    const listed = new Set(WINDOW_NAMES);
    // about:blank is not a secure context: its names are a subset of the loopback page's the list was made from.
    expect(names.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !listed.has(n))).toEqual([]);
  });

  it('the bridge binds neither built-ins nor non-identifiers even if a host sends them, and still binds good names', async () => {
    const { wv } = await startHost();
    const { page, errors, bridge } = await servedPage(wv);
    const before = await page.evaluate(() => location.href);
    // A host that skipped its own check: the bindings list goes straight to the bridge.
    bridge.deliver(anyMessage(BINDINGS_ID, ['location', '__proto__', 'fetch', 'a.b', 'if', 'goodName'], () => 0));
    await page.waitForFunction(() => typeof (window as unknown as { goodName?: unknown }).goodName === 'function', undefined, { timeout: 10_000 });
    const after = await page.evaluate(() => ({
      href: location.href,
      proto: Object.getPrototypeOf(window) === Window.prototype,
      fetchIsNative: String(fetch).includes('[native code]'),
      dotted: 'a.b' in window,
    }));
    expect(after).toEqual({ href: before, proto: true, fetchIsNative: true, dotted: false });
    await until(() => errors.length >= 5, 10_000, 'the bridge to report what it refused');
    expect(errors.filter((e) => e.includes('not binding'))).toHaveLength(5);
  });

  it("a page's own global of that name is replaced, as in HISE (only the browser's names are protected)", async () => {
    const { wv } = await startHost();
    wv.bindCallback('pageStub', () => 'from the host');
    const { page } = await servedPage(wv, '<script>window.pageStub = window.pageStub || (() => "stub");</script>');
    expect(await page.evaluate(() => (window as unknown as { pageStub: () => Promise<string> }).pageStub())).toBe('from the host');
  });
});
