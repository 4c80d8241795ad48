// The HTTP mode of scripts/fuzz.mjs: random and mutated request lines, methods, headers (Host,
// Origin, Range, Sec-Fetch-*, Upgrade, Sec-WebSocket-*) and paths against a live host (its own
// process, see fuzz-http-host.mjs) serving a root with an HTML page, a binary asset, dotfiles, a
// symlink out of the root and a dangling one. Checked for every request: the answer starts with a
// well-formed status line or the host closes without a byte; no answer is a 500 or carries a
// secret of the root; the host process never exits. At the end: memory after a GC (RSS and heap)
// against the same after a warm-up, and a fresh page request and upgrade still served.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from './prng.mjs';

const SECRETS = ['ENV-SECRET-7f3a', 'GIT-SECRET-7f3a', 'DOT-SECRET-7f3a', 'OUTSIDE-SECRET-7f3a'];
/** Requests in flight at once, each on its own connection. */
const CONCURRENCY = 32;
/** Requests before the first memory measurement, so that lazy allocations (caches, JIT) are not counted as growth. */
const WARM_UP = 2000;
/** Heap growth (after GC) over the run above which the fuzz fails. */
const MAX_HEAP_GROWTH = 16 * 1024 * 1024;
/** An exchange the host neither answers nor closes within this is a hang. */
const EXCHANGE_TIMEOUT_MS = 15_000;

/**
 * @param {{ count: number, seed: number, cache: boolean }} options
 * @returns {Promise<object>} the summary; `failures` is empty when every check held
 */
export async function fuzzHttp({ count, seed, cache }) {
  const random = prng(seed);
  const failures = [];
  const fail = (message) => failures.length < 20 && failures.push(message);
  const { base, root } = makeRoot();
  const host = await startHost(root, cache, fail);
  const generate = requestGenerator(random, host.port, host.token);
  const statuses = {};
  let closedWithoutAnswer = 0;
  let done = 0;

  async function worker(quota) {
    for (let i = 0; i < quota && host.alive; i++) {
      const request = generate();
      const answer = await exchange(host.port, request.bytes, request.head);
      done++;
      const outcome = judge(answer, request, fail);
      if (outcome === 'closed') closedWithoutAnswer++;
      else statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    }
  }
  const run = async (n) => {
    const each = Math.floor(n / CONCURRENCY);
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => worker(k === 0 ? n - each * (CONCURRENCY - 1) : each)));
  };

  const warmUp = Math.min(WARM_UP, Math.floor(count / 10));
  await run(warmUp);
  const before = await host.measure();
  const start = performance.now();
  await run(count - warmUp);
  const seconds = (performance.now() - start) / 1000;
  const after = host.alive ? await host.measure() : before;
  if (after.heapUsed - before.heapUsed > MAX_HEAP_GROWTH) {
    fail(`the host's heap grew by ${mib(after.heapUsed - before.heapUsed)} MiB over the run (after GC)`);
  }
  if (host.alive) await stillServing(host, fail);
  await host.close();
  rmSync(base, { recursive: true, force: true });
  return {
    requests: done,
    cache,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((count - warmUp) / seconds),
    statuses,
    closedWithoutAnswer,
    hostErrorEvents: after.errors,
    refused: after.refused,
    connects: after.connects,
    memory: {
      rssBeforeMiB: mib(before.rss),
      rssAfterMiB: mib(after.rss),
      heapBeforeMiB: mib(before.heapUsed),
      heapAfterMiB: mib(after.heapUsed),
    },
    hostExited: !host.alive,
    failures,
  };
}

// ---- the root and the host process ----
function makeRoot() {
  const base = mkdtempSync(join(tmpdir(), 'hise-webview-fuzz-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  for (const dir of [root, outside, join(root, '.git'), join(root, 'a'), join(root, 'sub')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>fuzz</title></head><body>index</body></html>');
  writeFileSync(join(root, 'sub', 'inner.html'), '<html><head></head><body>inner</body></html>');
  writeFileSync(join(root, 'asset.bin'), randomBytes(4096));
  writeFileSync(join(root, 'app.js'), 'export const x = 1;\n');
  writeFileSync(join(root, '.env'), SECRETS[0]);
  writeFileSync(join(root, '.git', 'config'), SECRETS[1]);
  writeFileSync(join(root, 'a', '.secret.html'), `<html><head></head>${SECRETS[2]}</html>`);
  writeFileSync(join(outside, 'secret.txt'), SECRETS[3]);
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(base, 'missing.js'), join(root, 'dangling.js'));
  symlinkSync('nobody@host.1:1', join(root, '.#index.html'));
  return { base, root };
}

function startHost(root, cache, fail) {
  const child = fork(new URL('./fuzz-http-host.mjs', import.meta.url), [root, String(cache)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const host = { alive: true, port: 0, token: '' };
  child.once('exit', (code, signal) => {
    if (host.closing) return;
    host.alive = false;
    fail(`the host process exited (${code ?? signal}): ${stderr.slice(-2000)}`);
  });
  const reply = () => new Promise((resolve) => child.once('message', resolve));
  host.measure = async () => {
    const answer = reply();
    child.send('measure');
    return answer;
  };
  host.close = async () => {
    host.closing = true;
    if (!host.alive) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('close');
    await exited;
  };
  return reply().then(({ port, token }) => Object.assign(host, { port, token }));
}

/** A page request and an upgrade as a browser makes them, after all the garbage. */
async function stillServing(host, fail) {
  const page = await exchange(host.port, Buffer.from(`GET / HTTP/1.1\r\nHost: localhost:${host.port}\r\nConnection: close\r\n\r\n`), 'GET');
  if (!page.text.startsWith('HTTP/1.1 200 ')) fail(`a page request after the fuzz got ${JSON.stringify(page.text.split('\r\n')[0])}`);
  const upgrade = await exchange(
    host.port,
    Buffer.from(
      `GET /?token=${host.token} HTTP/1.1\r\nHost: localhost:${host.port}\r\nOrigin: http://localhost:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
    'GET',
  );
  if (!upgrade.text.startsWith('HTTP/1.1 101 ')) fail(`an upgrade after the fuzz got ${JSON.stringify(upgrade.text.split('\r\n')[0])}`);
}

// ---- one exchange ----
/** Writes `bytes` on a fresh connection; resolves once a whole answer is read or the host closed. */
function exchange(port, bytes, method) {
  return new Promise((resolve) => {
    const chunks = [];
    let settled = false;
    const finish = (hung) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), hung });
    };
    const timer = setTimeout(() => finish(true), EXCHANGE_TIMEOUT_MS);
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (isComplete(Buffer.concat(chunks).toString('latin1'), method)) finish(false);
    });
    socket.on('error', () => undefined); // a reset is a close
    socket.on('close', () => finish(false));
  });
}

/** Whether `text` holds a whole first answer: its head, and its body by Content-Length (none for 101/204/304/HEAD). */
function isComplete(text, method) {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const head = text.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  if (status === 101 || status === 204 || status === 304 || method === 'HEAD') return true;
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  return length !== null && text.length - end - 4 >= Number(length[1]);
}

const STATUS_LINE = /^HTTP\/1\.1 ([1-5]\d\d) [\x20-\x7e]*\r\n/;

/** The status of a well-formed answer, 'closed' for a close without a byte; failures are reported. */
function judge(answer, request, fail) {
  if (answer.hung) fail(`no answer and no close within ${EXCHANGE_TIMEOUT_MS} ms for ${describe(request.bytes)}`);
  if (answer.text === '') return 'closed';
  const match = STATUS_LINE.exec(answer.text);
  if (match === null) {
    fail(`not an HTTP status line: ${JSON.stringify(answer.text.slice(0, 80))} for ${describe(request.bytes)}`);
    return 'malformed';
  }
  if (match[1] === '500') fail(`500 for ${describe(request.bytes)}`);
  for (const secret of SECRETS) if (answer.text.includes(secret)) fail(`a secret of the root was served for ${describe(request.bytes)}`);
  return match[1];
}

const describe = (bytes) => JSON.stringify(bytes.toString('latin1').slice(0, 160));

// ---- requests ----
function requestGenerator(random, port, token) {
  const { int, pick, chance } = random;
  const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PRI', 'get', 'G ET', 'GET\t', '', 'X'.repeat(40), 'ÄÖÜ'];
  const PATHS = [
    '/', '/index.html', '/sub', '/sub/', '/sub/inner.html', '/asset.bin', '/app.js', '/hise-webview-bridge.js', '/hise-webview-client.js', '/hisewebsocket-min.js',
    '/.env', '/.git/config', '/.git/', '/a/.secret.html', '/out/secret.txt', '/out', '/dangling.js', '/.%23index.html', '/%2eenv', '/%2Egit/config',
    '/a/..%2f.env', '/a/%2e%2e/.env', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c.env', '/.env%00.js', '/%C0%AE%C0%AE/.env', '/sub/../.env',
    '//%5B', '//[', '//%', '///x', '/\\[', '/\\\\evil/', 'http://[', 'http://%5B/', `http://localhost:${port}/`, `http://127.0.0.1:${port}/.env`,
    'http://evil.example/', `https://localhost:${port}/asset.bin`, '*', '', 'index.html', `/?token=${token}`, '/?token=guess', '/?session=abc&token=x',
    '/%', '/%zz', '/%00', '/ü', '/?%', `/${'a'.repeat(300)}`, `/${'../'.repeat(20)}etc/passwd`,
  ];
  const BAD_VERSIONS = ['HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', ''];
  const HOSTS = [
    `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`, `LOCALHOST:${port}`, `127.9.9.9:${port}`,
    `evil.example:${port}`, 'evil.example', `localhost:${port + 1}`, 'localhost', '', ' ', '[::g]', 'a@localhost', `127.0.0.1:${port}/x`, 'x'.repeat(300), '0.0.0.0', `localhost.:${port}`,
  ];
  const ORIGINS = ['null', 'https://evil.example', `http://localhost:${port}`, 'http://127.0.0.1:5173', 'choc://choc.choc', 'https://choc.localhost', 'garbage', '', 'http://localhost:5173/path'];
  const RANGES = ['bytes=0-10', 'bytes=9-2', 'bytes=abc', 'bytes=-5', 'bytes=100000-', 'bytes=0-0,2-3', 'bytes=99999999999999999999-', 'items=1-2', 'bytes=', 'bytes=1-2-3', 'bytes=-0', ' bytes=1-', 'bytes=0-1,,'];
  const SITES = ['same-origin', 'same-site', 'cross-site', 'none', 'garbage', ''];
  const header = () =>
    pick([
      () => `Origin: ${pick(ORIGINS)}`,
      () => `Range: ${pick(RANGES)}`,
      () => `Sec-Fetch-Site: ${pick(SITES)}`,
      () => `Sec-Fetch-Mode: ${pick(['navigate', 'no-cors', 'cors', 'websocket', 'x'])}`,
      () => `Sec-Fetch-Dest: ${pick(['document', 'script', 'iframe', 'empty', 'x'])}`,
      () => `Referer: ${pick([`http://localhost:${port}/`, 'https://evil.example/', 'not a url', 'null', 'file:///x'])}`,
      () => `If-None-Match: ${pick(['*', 'W/"1-2"', '"x"', ''])}`,
      () => `If-Modified-Since: ${pick(['Thu, 01 Jan 2099 00:00:00 GMT', 'garbage'])}`,
      () => `If-Range: ${pick(['"x"', 'Thu, 01 Jan 1970 00:00:00 GMT'])}`,
      () => `Accept-Encoding: ${pick(['gzip, br', '*', ''])}`,
      () => `Sec-WebSocket-Protocol: ${pick(['hise-webview.1', 'x, hise-webview.1', ',,', ''])}`,
      () => `Sec-WebSocket-Extensions: ${pick(['permessage-deflate; client_max_window_bits', 'x;;', ''])}`,
      () => (chance(0.3) ? framingHeader() : `X-${int(1000)}: ${randomText(int(40))}`),
    ])();
  /** Headers that change how the request is framed: most of them make Node's parser refuse the request. */
  const framingHeader = () =>
    pick([
      () => `Content-Length: ${pick(['0', '5', '-1', 'abc', '99999999999'])}`,
      () => `Transfer-Encoding: ${pick(['chunked', 'gzip, chunked', 'x'])}`,
      () => 'Expect: 100-continue',
    ])();
  const upgradeHeaders = () => [
    ...(chance(0.9) ? ['Upgrade: websocket'] : ['Upgrade: h2c']),
    pick(['Connection: Upgrade', 'Connection: keep-alive, Upgrade', 'Connection: close']),
    `Sec-WebSocket-Key: ${pick([randomBytes(16).toString('base64'), 'short', '', '!!!!'])}`,
    `Sec-WebSocket-Version: ${pick(['13', '13', '8', 'x'])}`,
  ];
  function randomText(n) {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(chance(0.98) ? 0x20 + int(95) : int(256));
    return out;
  }
  function mutateTarget(target) {
    if (!chance(0.3)) return target;
    let out = target;
    for (let k = 1 + int(3); k > 0; k--) {
      const at = int(out.length + 1);
      out = out.slice(0, at) + pick(['/', '\\', '%', '.', '..', '?', '#', '%2e', '%2f', '%5c', '%00', '//', '%5B', '[', String.fromCharCode(int(256))]) + out.slice(at);
    }
    return out;
  }
  function mutateBytes(bytes) {
    const out = Buffer.from(bytes);
    switch (int(5)) {
      case 0:
        return out.subarray(0, int(out.length));
      case 1:
        for (let k = 1 + int(4); k > 0; k--) out[int(out.length)] ^= 1 << int(8);
        return out;
      case 2: {
        const at = int(out.length);
        return Buffer.concat([out.subarray(0, at), Buffer.from([pick([0x0d, 0x0a, 0x00, 0x20, 0x3a])]), out.subarray(at)]);
      }
      case 3:
        return Buffer.from(out.toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
      default:
        return Buffer.concat([out, out]); // pipelined twice
    }
  }
  return function generate() {
    const method = chance(0.6) ? 'GET' : chance(0.5) ? 'HEAD' : pick(METHODS);
    const upgrade = chance(0.2);
    const path = upgrade && chance(0.5) ? `/?token=${token}` : pick(PATHS);
    const version = chance(0.9) ? 'HTTP/1.1' : chance(0.5) ? 'HTTP/1.0' : pick(BAD_VERSIONS);
    const lines = [`${method} ${mutateTarget(path)} ${version}`];
    if (chance(0.9)) lines.push(`Host: ${chance(0.7) ? HOSTS[int(2)] : pick(HOSTS)}`);
    if (chance(0.03)) lines.push(`Host: ${pick(HOSTS)}`);
    if (upgrade) lines.push(...upgradeHeaders());
    for (let k = int(5); k > 0; k--) lines.push(header());
    if (chance(0.5)) lines.push('Connection: close');
    let bytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n${chance(0.05) ? 'hello' : ''}`, 'latin1');
    if (chance(0.1)) bytes = mutateBytes(bytes);
    return { bytes, head: method };
  };
}

const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
