import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tcp } from './helpers.js';

/** One HTTP answer as read off the wire. */
export interface RawAnswer {
  /** The status line, e.g. `HTTP/1.1 400 Bad Request`; '' when the host closed without one. */
  statusLine: string;
  status: number | undefined;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `request` (bytes exactly as given) on a fresh TCP connection and reads until the host
 * closes it, so nothing a client library would fix (targets, duplicate or missing headers) is fixed.
 * Send `Connection: close`, or a request the host closes on; an accepted upgrade is closed after its head.
 */
export async function rawRequest(port: number, request: string | Buffer): Promise<RawAnswer> {
  const socket = await tcp(port);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    // An accepted upgrade stays open: its head is the whole answer.
    const text = Buffer.concat(chunks).toString('latin1');
    if (text.startsWith('HTTP/1.1 101 ') && text.includes('\r\n\r\n')) socket.destroy();
  });
  socket.on('error', () => undefined); // a reset after the answer is a close too
  socket.write(request);
  await new Promise((resolve) => socket.once('close', resolve));
  return parseAnswer(Buffer.concat(chunks).toString('latin1'));
}

/** `GET target` with the given extra header lines (a Host for `port` unless one is given), closing after the answer. */
export function rawGet(port: number, target: string, headers: string[] = []): Promise<RawAnswer> {
  const host = headers.some((h) => /^host:/i.test(h)) ? [] : [`Host: 127.0.0.1:${port}`];
  return rawRequest(port, `GET ${target} HTTP/1.1\r\n${[...host, ...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`);
}

/** The header lines of a WebSocket upgrade (add a Host). */
export const UPGRADE_HEADERS = ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'];

/** A WebSocket upgrade to `target` written by hand; a refused one is answered and closed. */
export function rawUpgrade(port: number, target: string, headers: string[] = []): Promise<RawAnswer> {
  const host = headers.some((h) => /^host:/i.test(h)) ? [] : [`Host: 127.0.0.1:${port}`];
  return rawRequest(port, `GET ${target} HTTP/1.1\r\n${[...host, ...headers, ...UPGRADE_HEADERS].join('\r\n')}\r\n\r\n`);
}

export function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1];
  return { statusLine, status: status === undefined ? undefined : Number(status), headers, body: end === -1 ? '' : text.slice(end + 4) };
}

/** A webview root with what must never be served beside what must: entries are files, or `{ link }` for symlinks. */
export function makeHostileRoot(extra: Record<string, string | { link: string }> = {}): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'hise-webview-root-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'OUTSIDE-SECRET');
  const entries: Record<string, string | { link: string }> = {
    'index.html': '<!doctype html><html><head><title>root</title></head><body>index</body></html>',
    'page.html': '<html><head></head><body>page</body></html>',
    'app.js': 'export const app = 1;\n',
    'data.bin': '0123456789',
    'sub/inner.html': '<html><head></head><body>inner</body></html>',
    '.env': 'ENV-SECRET',
    '.git/config': 'GIT-SECRET',
    'a/.secret.html': '<html><head></head>DOT-SECRET</html>',
    '.hidden/page.html': '<html><head></head>HIDDEN-SECRET</html>',
    '.#index.html': { link: 'nobody@host.1234:1700000000' }, // an editor's lock file: a dangling symlink
    'dangling.js': { link: join(base, 'missing.js') },
    'out.txt': { link: join(outside, 'secret.txt') },
    'out-dir': { link: outside },
    'to-env.txt': { link: join(root, '.env') },
    'alias.js': { link: join(root, 'app.js') },
    ...extra,
  };
  for (const [path, entry] of Object.entries(entries)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof entry === 'string') writeFileSync(full, entry);
    else symlinkSync(entry.link, full);
  }
  return { root, outside };
}

/** Every secret {@link makeHostileRoot} holds, for checking that no answer contains one. */
export const SECRETS = ['ENV-SECRET', 'GIT-SECRET', 'DOT-SECRET', 'HIDDEN-SECRET', 'OUTSIDE-SECRET'];
