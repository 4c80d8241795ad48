// The bench's own loopback HTTP server: serves the generated bench pages and the client scripts,
// and receives the figures pages POST back (pages are not driven over any automation protocol).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** URL prefix → folder on disk. Only these are served. */
function staticRoots() {
  const roots = {
    '/dist/': resolve(REPO_ROOT, 'dist'),
    '/socket.io/': resolve(REPO_ROOT, 'node_modules/socket.io-client/dist'),
  };
  return roots;
}

/**
 * Starts the server on 127.0.0.1, port 0.
 * - `page(html)` registers a page and returns its URL;
 * - `file(path, absoluteFile)` serves one extra file (e.g. HISE's stock client from `HISE_CLIENT_JS`);
 * - `next(channel, timeoutMs)` resolves with the next JSON body a page POSTs to `/report/<channel>`,
 *   and rejects at once when a page reports to `/report/error`.
 */
export async function startBenchServer() {
  const pages = new Map();
  const files = new Map();
  const inbox = new Map(); // channel → bodies not yet taken
  const waiters = new Map(); // channel → [{resolve, reject}]
  let pageErrors = [];
  let nextPage = 1;

  function deliver(channel, body) {
    if (channel === 'error') {
      pageErrors.push(body);
      for (const list of waiters.values()) for (const w of list.splice(0)) w.reject(pageError(body));
      return;
    }
    const list = waiters.get(channel);
    if (list?.length) list.shift().resolve(body);
    else {
      if (!inbox.has(channel)) inbox.set(channel, []);
      inbox.get(channel).push(body);
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://bench');
      if (req.method === 'POST' && url.pathname.startsWith('/report/')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
        deliver(decodeURIComponent(url.pathname.slice('/report/'.length)), JSON.parse(Buffer.concat(chunks).toString() || 'null'));
        return;
      }
      if (pages.has(url.pathname)) {
        // Cross-origin isolated, so performance.now() has 5 µs resolution instead of 100 µs.
        res
          .writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Cache-Control': 'no-store',
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Embedder-Policy': 'credentialless',
          })
          .end(pages.get(url.pathname));
        return;
      }
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      let file = files.get(url.pathname);
      if (file === undefined) {
        for (const [prefix, dir] of Object.entries(staticRoots())) {
          if (!url.pathname.startsWith(prefix)) continue;
          const candidate = resolve(dir, '.' + decodeURIComponent(url.pathname.slice(prefix.length - 1)));
          if (candidate.startsWith(dir + sep)) file = candidate;
        }
      }
      if (file === undefined) return void res.writeHead(404).end('not found');
      const body = await readFile(file);
      // A module worker's script carries the page's embedder policy (else Chromium blocks the worker).
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', 'Cross-Origin-Embedder-Policy': 'credentialless' }).end(body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(error.code === 'ENOENT' ? 404 : 500);
      res.end(String(error.message));
    }
  });
  await new Promise((r, j) => server.once('error', j).listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return {
    origin,
    page(html) {
      const path = `/page/${nextPage++}.html`;
      pages.set(path, html);
      return origin + path;
    },
    file(path, absoluteFile) {
      files.set(path, absoluteFile);
      return origin + path;
    },
    next(channel, timeoutMs = 30_000) {
      if (pageErrors.length) return Promise.reject(pageError(pageErrors[0]));
      const queued = inbox.get(channel);
      if (queued?.length) return Promise.resolve(queued.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const list = waiters.get(channel) ?? [];
          const i = list.indexOf(waiter);
          if (i >= 0) list.splice(i, 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for the page to report '${channel}'`));
        }, timeoutMs);
        timer.unref(); // a waiter left behind by a failed session must not keep the process alive
        const waiter = {
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        };
        if (!waiters.has(channel)) waiters.set(channel, []);
        waiters.get(channel).push(waiter);
      });
    },
    /** Forgets earlier reports and page errors (between runs). */
    reset() {
      inbox.clear();
      pageErrors = [];
      // Waiters of an earlier (failed) session must not take this session's reports.
      for (const list of waiters.values()) for (const w of list.splice(0)) w.reject(new Error('superseded by a new session'));
    },
    close: () => new Promise((r) => server.close(() => r())).finally(() => server.closeAllConnections?.()),
  };
}

function pageError(body) {
  return new Error(`page error: ${body?.message ?? JSON.stringify(body)}`);
}

/**
 * The HTML of one bench page: the client's scripts, then `clientSetup(params)` (the adapter's page
 * side) and `scenario({ params, client, report })`, both stringified from real functions.
 */
export function benchPageHtml({ title, scripts = [], clientSetup, scenario, params }) {
  const tags = scripts.map((src) => `<script src="${src}"></script>`).join('\n');
  return `<!doctype html><meta charset="utf-8"><title>${title}</title>
${tags}
<script type="module">
const params = ${JSON.stringify(params)};
const report = (channel, body) =>
  fetch('/report/' + encodeURIComponent(channel), { method: 'POST', body: JSON.stringify(body) });
const fail = (error) => report('error', { message: String(error?.stack ?? error?.message ?? error), page: params.pageIndex ?? 0 });
window.addEventListener('error', (e) => fail(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
const clientSetup = ${clientSetup.toString()};
const scenario = ${scenario.toString()};
try {
  const client = clientSetup(params);
  await client.ready;
  await scenario({ params, client, report });
} catch (error) {
  fail(error);
}
</script>`;
}
