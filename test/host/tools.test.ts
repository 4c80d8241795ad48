import { describe, expect, it } from 'vitest';
import { CallError } from '../../src/host/index.js';
import { hostInternals } from '../../src/host/internals.js';
import { rawGet, rawUpgrade } from '../hardening/raw-http.js';
import { startHost } from '../helpers/host.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { RefusalCode } from '../../src/protocol/index.js';

// What tools (the inspector) get from the host: a path on its port behind the guard, upgrades
// through another host's gate, running its functions, its retained values.

describe('tools on the host', () => {
  it('mount: requests and upgrades under the prefix go to the tool, behind the Host check; unmount restores the root', async () => {
    const { wv, port } = await startHost();
    wv.setHtmlContent('<!doctype html><html><head></head><body>root</body></html>');
    const upgrades: string[] = [];
    const unmount = wv.mount('/__hise-webview/tool/', {
      request: (_request, response, parsed) => void response.end(`tool ${parsed.pathname}`),
      upgrade: (_request, socket, _head, parsed) => {
        upgrades.push(parsed.pathname);
        socket.end('HTTP/1.1 418 Teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    });
    expect((await rawGet(port, '/__hise-webview/tool/a')).body).toBe('tool /__hise-webview/tool/a');
    expect((await rawGet(port, '/__hise-webview/tool/a', [`Host: evil.example:${port}`])).status).toBe(403);
    expect((await rawUpgrade(port, '/__hise-webview/tool/socket')).status).toBe(418);
    expect(upgrades).toEqual(['/__hise-webview/tool/socket']);
    expect((await rawGet(port, '/__hise-webview/other')).status).toBe(404);
    expect(() => wv.mount('/__hise-webview/tool/', {})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => wv.mount('/tool/', {})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => wv.mount('/__hise-webview/../x/', {})).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    unmount();
    expect((await rawGet(port, '/__hise-webview/tool/a')).status).toBe(404);
  });

  it('a throwing tool is a 500 and HTTP_HANDLER_FAILED, and its close runs when the host closes', async () => {
    const { wv, port } = await startHost();
    const errors: string[] = [];
    wv.on('error', (error) => void errors.push(error.code));
    let closed = 0;
    wv.mount('/__hise-webview/broken/', {
      request: () => {
        throw new Error('tool bug');
      },
      close: () => void closed++,
    });
    expect((await rawGet(port, '/__hise-webview/broken/')).status).toBe(500);
    expect(errors).toEqual(['HTTP_HANDLER_FAILED']);
    await wv.close();
    expect(closed).toBe(1);
  });

  it('handleUpgrade takes an upgrade from another server through its own gate', async () => {
    const { wv: outer, port } = await startHost();
    const { wv: inner } = await startHost({ token: 'inner-secret-123456' });
    outer.mount('/__hise-webview/inner/', { upgrade: (request, socket, head) => inner.handleUpgrade(request, socket, head) });
    const refused = new RecordingClient(`ws://127.0.0.1:${port}/__hise-webview/inner/`);
    expect(await refusalOf(refused.socket)).toMatchObject({ code: RefusalCode.Token, messages: 0 });
    expect(inner.pages).toHaveLength(0);
    const page = new RecordingClient(`ws://127.0.0.1:${port}/__hise-webview/inner/?token=inner-secret-123456`);
    await page.opened;
    await until(() => inner.pages.length === 1);
    expect(outer.pages).toHaveLength(0);
    await page.close();
  });

  it('runHandler runs a handled function, else a bound callback; retainedValues reads what reconnecting pages get', async () => {
    const { wv } = await startHost();
    wv.handle('add', (a: number, b: number) => a + b);
    wv.bindCallback('double', (args) => Number(args[0]) * 2);
    await expect(hostInternals(wv).runHandler('add', [2, 3])).resolves.toBe(5);
    await expect(hostInternals(wv).runHandler('double', [21])).resolves.toBe(42);
    await expect(hostInternals(wv).runHandler('none', [])).rejects.toBeInstanceOf(CallError);
    await expect(hostInternals(wv).runHandler('$sync', [0])).rejects.toMatchObject({ code: 'UNKNOWN_FUNCTION' });
    wv.retain('state', 'scope', 'never');
    wv.send('state', { gain: 0.5 });
    wv.send('scope', new Float32Array([0.25, -1]));
    expect(wv.retainedValues).toEqual(new Map<string, unknown>([['state', { gain: 0.5 }], ['scope', new Float32Array([0.25, -1])], ['never', undefined]]));
  });
});
