import { describe, expect, it } from 'vitest';
import { WebView, WebViewError } from '../../src/host/index.js';
import type { HiseWarning } from '../../src/host/hise-strict/warnings.js';
import { hiseJson } from '../../src/protocol/hise-json.js';
import { cutAsHise, hiseCharCount, hisePayloadBytes } from '../../src/host/hise-strict/hise-text.js';
import { hostInternals } from '../../src/host/internals.js';
import { scopeWebView } from '../../src/dev/scoped-web-view.js';
import { logWebViewErrors } from '../../src/dev/webview-errors.js';
import { hiseWebview } from '../../src/vite/index.js';
import { startHost } from '../helpers/host.js';
import { connect, hex } from '../helpers/node-client.js';

// HISE-strict mode without a browser: the pure parts (what HISE makes of text), and the host's
// behaviour seen from a raw WebSocket client that reads the exact bytes.

async function strict(): Promise<{ wv: WebView; port: number; warnings: HiseWarning[] }> {
  const { wv, port } = await startHost({ hise: 'strict' });
  const warnings: HiseWarning[] = [];
  wv.on('hise-warning', (warning) => warnings.push(warning));
  return { wv, port, warnings };
}

describe('what HISE makes of text (pure)', () => {
  it('cuts UTF-8 to as many bytes as the text has characters (literal byte fixtures)', () => {
    expect([...cutAsHise('hello')]).toEqual([0x68, 0x65, 0x6c, 0x6c, 0x6f]);
    // 'héllo wörld': 11 characters, 13 bytes → the first 11 bytes, 'héllo wör'
    expect(Buffer.from(cutAsHise('héllo wörld')).toString('hex')).toBe('68c3a96c6c6f2077c3b672');
    // '€ü': 2 characters, 5 bytes → e2 82, the start of '€' only (not valid UTF-8)
    expect([...cutAsHise('€ü')]).toEqual([0xe2, 0x82]);
    // a surrogate pair is one character: '🎹a' → 2 bytes of its 4
    expect([...cutAsHise('🎹a')]).toEqual([0xf0, 0x9f]);
    expect(hiseCharCount('🎹a')).toBe(2);
  });

  it("sizes a message as HISE does: 1 + 2 + (id chars + 1) + 4 + size; 28 floats of `scope` are the most that fit 125 bytes", () => {
    expect(hisePayloadBytes('scope', 28 * 4)).toBe(125);
    expect(hisePayloadBytes('scope', 29 * 4)).toBe(129);
  });

  it('writes JSON with a space after each : and , outside strings', () => {
    expect(hiseJson('{"a":1,"b":[1,2],"c":"x,y:z","d":"q\\"r,"}')).toBe('{"a": 1, "b": [1, 2], "c": "x,y:z", "d": "q\\"r,"}');
  });
});

describe('HISE-strict host', () => {
  it('the Vite plugin takes hise: \'strict\' and refuses another value at config time', () => {
    expect(hiseWebview({ hise: 'strict' }).name).toBe('hise-webview');
    expect(() => hiseWebview({ hise: 'loose' as 'strict' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('rejects an unknown hise option with INVALID_OPTION; the default is today\'s behaviour', () => {
    expect(() => new WebView({ hise: 'lenient' as 'strict' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const wv = new WebView();
    expect(wv.options.hise).toBe('default');
    void wv.close();
  });

  it('sends cut text as the exact bytes HISE sends (frame fixture) and warns HISE_TEXT_CUT once per id', async () => {
    const { wv, port, warnings } = await strict();
    const client = await connect(port);
    wv.sendToWebSocket('t', 'héllo wörld');
    const [frame] = await client.waitFor(1);
    // type 1 | idLength 2 | 't' NUL | size 11 | the first 11 bytes of the text
    expect(frame).toEqual(hex('01 0200 7400 0b000000 68c3a96c6c6f2077c3b672'));
    wv.sendToWebSocket('t', 'wörld');
    await client.waitFor(2);
    expect(warnings.filter((w) => w.code === 'HISE_TEXT_CUT')).toHaveLength(1);
    await client.close();
  });

  it('sends objects as JSON with HISE\'s spacing, cut the same way', async () => {
    const { wv, port } = await strict();
    const client = await connect(port);
    wv.sendToWebSocket('o', { a: 1, b: 'x' });
    const [frame] = await client.waitFor(1);
    expect(frame!.subarray(9).toString('utf8')).toBe('{"a": 1, "b": "x"}');
    await client.close();
  });

  it('warns HISE_FRAME_TOO_LONG once per id, and not for a message that fits', async () => {
    const { wv, warnings } = await strict();
    wv.sendToWebSocket('fits', new Float32Array(28));
    wv.sendToWebSocket('big', new Float32Array(29));
    wv.sendToWebSocket('big', new Float32Array(2048));
    wv.sendToWebSocket('other', 'x'.repeat(200));
    expect(warnings.filter((w) => w.code === 'HISE_FRAME_TOO_LONG').map((w) => w.id)).toEqual(['big', 'other']);
  });

  it('drops a send before setEnableWebSocket with HISE_SEND_BEFORE_ENABLE (default mode holds it)', async () => {
    const wv = new WebView({ hise: 'strict' });
    const warnings: HiseWarning[] = [];
    wv.on('hise-warning', (warning) => warnings.push(warning));
    try {
      expect(wv.sendToWebSocket('early', 'x')).toBe('dropped');
      expect(warnings.map((w) => [w.code, w.id])).toEqual([['HISE_SEND_BEFORE_ENABLE', 'early']]);
      const port = await wv.setEnableWebSocket(0);
      const client = await connect(port);
      wv.sendToWebSocket('late', 'y');
      const [first] = await client.waitFor(1);
      expect(first!.subarray(3, 7).toString('latin1')).toBe('late');
      await client.close();
    } finally {
      await wv.close();
    }
  });

  it('warns HISE_NON_ASCII_ID for an id HISE would mis-frame', async () => {
    const { wv, warnings } = await strict();
    wv.sendToWebSocket('pégase', 'x');
    expect(warnings.map((w) => [w.code, w.id])).toEqual([['HISE_NON_ASCII_ID', 'pégase']]);
  });

  it('buffers: the index wraps at 256, an unknown index does nothing, a length change keeps the registered length', async () => {
    const { wv, port, warnings } = await strict();
    const client = await connect(port);
    const samples = new Float32Array([1, 2]);
    wv.addBufferToWebSocket(258, samples);
    const [added] = await client.waitFor(1);
    expect(added!.subarray(0, 5)).toEqual(hex('02 0200 3200')); // id '2'
    expect(wv.updateBuffer(9)).toBe('dropped');
    expect(() => wv.addBufferToWebSocket(-1, samples)).toThrow(WebViewError);
    expect(warnings.map((w) => [w.code, w.id])).toEqual([
      ['HISE_BUFFER_INDEX_WRAPPED', '258'],
      ['HISE_BUFFER_UNKNOWN', '9'],
    ]);
    await client.close();
  });

  it('a buffer added while no page is open goes nowhere (HISE_BUFFER_NO_PAGE); a page that connects later does not get it', async () => {
    const { wv, port, warnings } = await strict();
    wv.addBufferToWebSocket(1, new Float32Array(2));
    await expect.poll(() => warnings.map((w) => w.code)).toContain('HISE_BUFFER_NO_PAGE');
    const client = await connect(port);
    wv.sendToWebSocket('after', 'x');
    const [first] = await client.waitFor(1);
    expect(first!.subarray(3, 8).toString('latin1')).toBe('after');
    await client.close();
  });

  it('warns HISE_PAGE_FRAME_TOO_LONG when a HISE-format page sends over 125 bytes', async () => {
    const { wv, port, warnings } = await strict();
    const received: unknown[] = [];
    wv.setWebSocketCallback((data) => received.push(data));
    const client = await connect(port);
    client.socket.send('short');
    client.socket.send('y'.repeat(126));
    await expect.poll(() => received.length).toBe(2);
    expect(warnings.map((w) => w.code)).toEqual(['HISE_PAGE_FRAME_TOO_LONG']);
    await client.close();
  });

  it('warns HISE_PARSER_BATCH when a HISE-format page sends text right after a binary message', async () => {
    const { wv, port, warnings } = await strict();
    const received: unknown[] = [];
    wv.setWebSocketCallback((data) => received.push(data));
    const client = await connect(port);
    client.socket.send(new Float32Array([1, 2]));
    client.socket.send('{"after":"binary"}');
    await expect.poll(() => received.length).toBe(2);
    expect(received[1]).toEqual({ after: 'binary' }); // delivered as text here
    expect(warnings.map((w) => w.code)).toEqual(['HISE_PARSER_BATCH']);
    await client.close();
  });

  it('persistence off→on keeps what was stored; a restarted run keeps its persistent calls (default mode forgets both)', async () => {
    for (const [mode, expected] of [
      ['strict', ['a', 'b']],
      ['default', []],
    ] as const) {
      const { wv } = await startHost({ hise: mode });
      const run = scopeWebView(wv);
      void run.webView.callFunction('a', 1);
      run.dispose();
      void wv.callFunction('b', 2);
      wv.enablePersistence = false;
      expect(hostInternals(wv).persistentCalls).toEqual([]);
      wv.enablePersistence = true;
      expect(hostInternals(wv).persistentCalls.map((call) => (call.kind === 'function' ? call.name : call.uid))).toEqual(expected);
    }
  });

  it('with no hise-warning listener, a warning goes to console.warn', async () => {
    const { wv } = await startHost({ hise: 'strict' });
    const lines: string[] = [];
    const original = console.warn;
    console.warn = (line: string) => lines.push(line);
    try {
      wv.sendToWebSocket('arr', [1]);
    } finally {
      console.warn = original;
    }
    expect(lines).toEqual([expect.stringContaining('HISE_DATA_DROPPED')]);
  });

  it('the dev host (serve, Vite) prints each warning in the terminal, escaped', async () => {
    const { wv } = await startHost({ hise: 'strict' });
    const lines: string[] = [];
    const stop = logWebViewErrors(wv, { info: () => undefined, warn: (line) => lines.push(line), error: () => undefined });
    wv.sendToWebSocket('a\u001b[31m', [1]);
    stop();
    wv.on('hise-warning', () => undefined); // so the next one does not go to console.warn either
    wv.sendToWebSocket('later', [1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^HISE_DATA_DROPPED: message `a.*` is an array/);
    expect(lines[0]).not.toContain('\u001b');
  });

  it('observers see each warning as an error observation (what the inspector shows)', async () => {
    const { wv } = await strict();
    const codes: string[] = [];
    wv.observe((o) => {
      if (o.type === 'error') codes.push(o.error.code);
    });
    wv.sendToWebSocket('n', 5 as unknown as string);
    expect(codes).toEqual(['HISE_DATA_DROPPED']);
  });
});
