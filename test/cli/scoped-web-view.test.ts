import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scopeWebView } from '../../dist/dev/scoped-web-view.js';
import { preview } from '../../dist/dev/preview.js';
import { parseSignal } from '../../dist/dev/signals.js';
import { WebView } from '../../dist/host/index.js';

// What lets the CLI restart a host module without recreating the WebView: every registration made
// through the scoped view is undone on dispose, and the WebView itself stays up.

let wv: WebView | undefined;
afterEach(async () => {
  await wv?.close();
  wv = undefined;
});

describe('scopeWebView', () => {
  it('undoes listeners, onMessage handlers, handle and the WebSocket callback; the WebView stays up', async () => {
    wv = new WebView();
    const port = await wv.setEnableWebSocket(0);
    const scope = scopeWebView(wv);
    const scoped = scope.webView;
    const noop = (): void => undefined;
    scoped.on('connect', noop).on('disconnect', noop); // chained calls stay in the scope
    scoped.once('error', noop);
    scoped.onMessage('gain', noop);
    scoped.handle('sum', (a: number, b: number) => a + b);
    scoped.setWebSocketCallback(noop);
    scoped.bindCallback('ping', () => 'pong');
    expect(scoped.port).toBe(port); // getters reach the private state through the proxy
    expect(scoped).toBeInstanceOf(WebView);
    expect(wv.listenerCount('connect') + wv.listenerCount('disconnect') + wv.listenerCount('error')).toBe(3);

    scope.dispose();
    expect(wv.listenerCount('connect') + wv.listenerCount('disconnect') + wv.listenerCount('error')).toBe(0);
    expect(wv.port).toBe(port);
    // A registration after dispose (a timer the module forgot) does nothing.
    scoped.on('connect', noop);
    expect(wv.listenerCount('connect')).toBe(0);
  });

  it('puts back the settings a run changed (enablePersistence, enableDebugMode, enableCache); late writes do nothing', () => {
    wv = new WebView();
    const scope = scopeWebView(wv);
    scope.webView.enablePersistence = false;
    scope.webView.enableDebugMode = true;
    scope.webView.enableCache = true;
    scope.webView.enableCache = false;
    expect([wv.enablePersistence, wv.enableDebugMode, wv.enableCache]).toEqual([false, true, false]);
    scope.dispose();
    expect([wv.enablePersistence, wv.enableDebugMode, wv.enableCache]).toEqual([true, false, false]);
    scope.webView.enableDebugMode = true;
    expect(wv.enableDebugMode).toBe(false);
  });

  it("a disposed scope's late registrations leave the next run's alone (bindings, persistent calls)", async () => {
    wv = new WebView();
    const port = await wv.setEnableWebSocket(0);
    await wv.setHtmlContent('<html><head></head></html>');
    const old = scopeWebView(wv);
    old.webView.bindCallback('ping', () => 'old');
    await old.webView.callFunction('setup', 1);
    old.dispose();
    const next = scopeWebView(wv);
    next.webView.bindCallback('ping', () => 'new');
    await next.webView.callFunction('setup', 2);
    // A timer the old run forgot:
    old.webView.bindCallback('ping', () => 'stale');
    old.webView.bindCallback('extra', () => 'stale');
    expect(await old.webView.callFunction('late', 3)).toEqual([]);
    old.webView.setWebSocketCallback(undefined);
    const script = await (await fetch(`http://127.0.0.1:${port}/hise-webview-bridge.js`, { headers: { 'Sec-Fetch-Site': 'same-origin' } })).text(); // as the served page asks for it
    const config = JSON.parse(/^window\.__HISE_WEBVIEW__=(.*);$/m.exec(script)![1]!) as { bindings: string[]; persisted: { name: string; arg: unknown }[] };
    expect(config.bindings).toEqual(['ping']);
    expect(config.persisted.map((call) => [call.name, call.arg])).toEqual([['setup', 2]]);
    next.dispose();
  });

  it("undoes a shared port's wv.instances listeners too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hise-scoped-shared-'));
    wv = new WebView({ shared: true, sharedDirectory: dir });
    await wv.setEnableWebSocket(0);
    const scope = scopeWebView(wv);
    const noop = (): void => undefined;
    expect(scope.webView.instances).toBe(scope.webView.instances); // one scoped view
    scope.webView.instances!.on('message', noop).on('join', noop);
    expect(wv.instances!.listenerCount('message')).toBe(1);
    expect(scope.webView.instances!.self).toBe(wv.instances!.self);
    scope.dispose();
    expect(wv.instances!.listenerCount('message') + wv.instances!.listenerCount('join')).toBe(0);
    scope.webView.instances!.on('message', noop); // late: does nothing
    expect(wv.instances!.listenerCount('message')).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves registrations made outside the scope alone', () => {
    wv = new WebView();
    const outside = (): void => undefined;
    wv.on('connect', outside);
    const scope = scopeWebView(wv);
    scope.webView.on('connect', () => undefined);
    scope.dispose();
    expect(wv.listeners('connect')).toEqual([outside]);
  });
});

describe('inspector previews and signal specs', () => {
  it.each([
    ['hello', 'string(5) "hello"'],
    [new Float32Array([0.5, -0.25, 1, 2, 3]), 'Float32Array(5) [0.5000, -0.2500, 1, 2, …]'],
    [{ gain: 0.5 }, 'object(1 keys) {"gain":0.5}'],
    [[1, 2], 'array(2) [1,2]'],
    [null, 'null null'],
  ])('%o → %s', (data, expected) => {
    expect(preview(data)).toBe(expected);
  });

  it('cuts long strings', () => {
    expect(preview('x'.repeat(500))).toMatch(/^string\(500\) "x{60}…"$/);
  });

  it('parses kind:id and refuses the rest with INVALID_ARGUMENT', () => {
    expect(parseSignal('sine:scope')).toEqual({ kind: 'sine', id: 'scope' });
    expect(parseSignal('noise:a:b')).toEqual({ kind: 'noise', id: 'a:b' });
    for (const bad of ['sine', 'sine:', 'laser:x', ':x']) expect(() => parseSignal(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
