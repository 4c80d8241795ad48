import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { inspectorHost } from '../../dist/dev/inspector.js';
import { LogThrottle } from '../../dist/dev/log-throttle.js';
import { printable } from '../../dist/dev/printable.js';
import { logWebViewErrors } from '../../dist/dev/webview-errors.js';
import { WebView } from '../../dist/host/index.js';
import { encodeFrame, FrameType, SUBPROTOCOL } from '../../dist/protocol/index.js';
import { until } from '../helpers/node-client.js';

// Issue 10, class 7: the CLI inspector printed page-supplied ids and data raw, so a page could set
// the terminal's title (OSC 0), write its clipboard (OSC 52), or forge log lines (CR/LF), and its
// per-id map grew with every id a page invented.

/** Every character a terminal acts on or that reorders text, as printed lines must never hold them. */
const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const ATTACKS = {
  title: '\u001b]0;pwned\u0007',
  clipboard: '\u001b]52;c;cm0gLXJmIH4=\u0007',
  forgedLine: 'ok\r\n[hise-webview] page 1 connected (http://127.0.0.1)',
  bidi: 'abc\u202edcb\u2066x\u2069',
  c1: '\u009b31m red \u009b0m',
  separators: 'a\u2028b\u2029c\u0085d',
  del: 'a\u007fb',
};

let wv: WebView | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await wv?.close();
  wv = undefined;
});

async function inspected(options = {}) {
  wv = new WebView();
  const port = await wv.setEnableWebSocket(0);
  const lines: string[] = [];
  const log = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
  // As the dev host runs it: the inspector, and the host's error events logged beside it (for any host module too).
  logWebViewErrors(wv, log);
  inspectorHost(log, { logInterval: 60_000, ...options })(wv, { signal: new AbortController().signal });
  return { wv, port, lines };
}

async function open(port: number, protocols: string[] = [], headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`, protocols, { headers });
  sockets.push(socket);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return socket;
}

describe('printable', () => {
  it('writes C0, DEL, C1, line separators, bidi and zero-width characters and the backslash as escapes; leaves the rest alone', () => {
    expect(printable(ATTACKS.title)).toBe('\\x1b]0;pwned\\x07');
    expect(printable(ATTACKS.forgedLine)).toBe('ok\\x0d\\x0a[hise-webview] page 1 connected (http://127.0.0.1)');
    expect(printable(ATTACKS.bidi)).toBe('abc\\u202edcb\\u2066x\\u2069');
    expect(printable(ATTACKS.c1)).toBe('\\x9b31m red \\x9b0m');
    expect(printable('a\\x1b')).toBe('a\\\\x1b'); // a page cannot type something that reads as our escape
    expect(printable('\u200b\ufeff\u061c\u200e')).toBe('\\u200b\\ufeff\\u061c\\u200e');
    expect(printable('Grüße, 音, 🎛️ gain=0.5 {"a":[1]}')).toBe('Grüße, 音, 🎛️ gain=0.5 {"a":[1]}');
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      if (code >= 0xd800 && code <= 0xdfff) continue;
      expect(DANGEROUS.test(printable(char)), `U+${code.toString(16)}`).toBe(false);
    }
  });
});

describe('the inspector prints what pages supply escaped', () => {
  it('I1 ids and data from HISE-style and extended pages, as one line each, with no control character', async () => {
    const { port, lines } = await inspected({ logInterval: 0 }); // every message gets its line
    const legacy = await open(port);
    const extended = await open(port, [SUBPROTOCOL]);
    await until(() => lines.filter((l) => l.includes('connected')).length === 2);
    const before = lines.length;
    for (const text of Object.values(ATTACKS)) legacy.send(text);
    for (const [name, text] of Object.entries(ATTACKS)) {
      extended.send(encodeFrame(FrameType.String, `${name}${text}`, text, { align: true }));
    }
    const sent = Object.keys(ATTACKS).length * 2;
    await until(() => lines.length - before >= sent, 10_000, 'every message logged');
    const logged = lines.slice(before);
    expect(logged).toHaveLength(sent);
    for (const line of logged) expect(DANGEROUS.test(line), JSON.stringify(line)).toBe(false);
    expect(logged.some((line) => line.includes('[title\\x1b]0;pwned\\x07]'))).toBe(true);
    expect(logged.filter((line) => line.startsWith('[hise-webview]'))).toEqual([]);
  });

  it("a page's Origin and the host's error messages about what it sent are escaped too", async () => {
    const { port, lines } = await inspected();
    const socket = await open(port, [SUBPROTOCOL]);
    socket.send(Buffer.from('\u001b]0;x\u0007 not a frame'), { binary: false }); // a text frame: INVALID_FRAME quoting nothing raw
    socket.send(encodeFrame(FrameType.Json, 'j\u001b[2J', '{"broken', { align: true }));
    await until(() => lines.filter((l) => /INVALID_(FRAME|JSON)/.test(l)).length === 2, 10_000, 'two errors logged');
    for (const line of lines) expect(DANGEROUS.test(line), JSON.stringify(line)).toBe(false);
  });

  it('an error message quoting a page-supplied id is escaped (INVALID_SEQUENCE names the id)', async () => {
    const { port, lines } = await inspected();
    const socket = await open(port, [SUBPROTOCOL]);
    socket.send(encodeFrame(FrameType.String, 'a', new TextEncoder().encode('first'), { align: true, seq: 1 }));
    socket.send(encodeFrame(FrameType.String, 'id\u001b]52;c;eA==\u0007', new TextEncoder().encode('x'), { align: true, seq: 0xffffffff }));
    await until(() => lines.some((l) => l.includes('INVALID_SEQUENCE')), 10_000, 'the refused number logged');
    for (const line of lines) expect(DANGEROUS.test(line), JSON.stringify(line)).toBe(false);
    expect(lines.find((l) => l.includes('INVALID_SEQUENCE'))).toContain('\\x1b]52');
  });
});

describe('the inspector forgets ids', () => {
  it('tracks at most maxTrackedIds page/id pairs, least recently seen forgotten first', () => {
    const throttle = new LogThrottle(60_000, 100);
    for (let i = 0; i < 5000; i++) expect(throttle.check(1, `id${i}`, 0).log).toBe(true);
    expect(throttle.size).toBe(100);
    // The most recent ids are still throttled; the first ones were forgotten and log again.
    expect(throttle.check(1, 'id4999', 1).log).toBe(false);
    expect(throttle.check(1, 'id0', 1).log).toBe(true);
  });

  it('forgets a page on disconnect, and counts what it skipped', () => {
    const throttle = new LogThrottle(1000, 1024);
    expect(throttle.check(1, 'a', 0)).toEqual({ log: true, skippedBefore: 0 });
    expect(throttle.check(1, 'a', 10)).toEqual({ log: false });
    expect(throttle.check(1, 'a', 20)).toEqual({ log: false });
    expect(throttle.check(1, 'a', 1000)).toEqual({ log: true, skippedBefore: 2 });
    throttle.check(11, 'a', 0);
    throttle.check(1, undefined, 0);
    throttle.forgetPage(1);
    expect(throttle.size).toBe(1); // page 11's entry stays
  });

  it('a page inventing 3000 ids through a real host with maxTrackedIds 16: each new id is still logged once', async () => {
    const { wv: host, port, lines } = await inspected({ maxTrackedIds: 16 });
    const socket = await open(port, [SUBPROTOCOL]);
    for (let i = 0; i < 3000; i++) socket.send(encodeFrame(FrameType.String, `id${i}`, 'x', { align: true }));
    await until(() => lines.filter((l) => l.includes('[id')).length === 3000, 20_000, 'every new id logged once');
    const logged = lines.filter((l) => l.includes('[id')).map((l) => /\[(id\d+)/.exec(l)?.[1]);
    expect(new Set(logged).size).toBe(3000); // each id once, none twice
    socket.close();
    await until(() => host.pages.length === 0);
  });
});
