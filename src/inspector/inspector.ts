import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CallError, WebView, WebViewError, type Page, type ParsedRequest, type ToolRoute } from '../host/index.js';
import { Aggregator, observedHost } from './aggregator.js';
import { loadClientScript } from '../host/http/client-script.js';
import { hostInternals } from '../host/internals.js';
import { unknownOptionProblem } from '../host/options.js';
import { PAGE_SCRIPT } from './assets.js';
import { INSPECTOR_CSS } from './page-css.js';
import { INSPECTOR_HEADERS, inspectorHtml } from './page-html.js';
import { HISTORY_ID, LOG_ENTRIES_PER_FILL, SNAPSHOT_ID } from './snapshot.js';
import { bounded, MAX_DEPTH } from './summary.js';

/** Options of {@link attachInspector}. Every limit has a unit and a default. */
export interface InspectorOptions {
  /** Where the inspector is served on the host's port: a path under `/__hise-webview/` ending in `/`. @default '/__hise-webview/inspector/' */
  path?: string;
  /** Snapshots pushed to an open inspector per second (the display rate; previews are sampled at it). 1–60. @default 10 */
  updateRate?: number;
  /**
   * Keep a history from when the inspector is attached (with `serve --inspect` and the Vite plugin's
   * `inspect`: from the host's start), so an inspector page opened later shows what came before it:
   * a page's connect and first message, the `initWebSocket` call, a retained value. (A call stored
   * while no page had the bridge crosses no socket: it shows among the stored calls.) This observes
   * the host from attach on (a few counter updates per message). `false`: the host is observed only
   * while an inspector page is open, and each one starts empty. @default true
   */
  history?: boolean;
  /**
   * Message log entries the host keeps (the history): control messages, connects, disconnects and
   * errors one entry each, a run of one id's stream frames one entry in all. An entry keeps a
   * one-line summary of the data (at most 160 characters, copied), never the data: measured 0.2 KiB
   * for a short message, 0.3 KiB with a full summary, 0.5 KiB for a 100 KB message's (so 5000
   * entries take 1–2.5 MiB); `logBytes` bounds it whatever the ids and data. @default 5000
   */
  logSize?: number;
  /**
   * Estimated bytes the message log may take in the host's heap (240 bytes per entry plus 2 per
   * character of its id and summary, an upper bound); the oldest entries go first. At least 16384.
   * @default 4194304 (4 MiB)
   */
  logBytes?: number;
  /** Calls the host keeps (from attach, with `history`), each with its arguments and result in one line. @default 200 */
  callLogSize?: number;
  /** Points of an oscilloscope preview (min and max per bucket). @default 256 */
  previewPoints?: number;
  /** Ids tracked, each direction counting apart; control messages of further ids are logged, their stream frames only counted. @default 256 */
  maxIds?: number;
  /** Inspector pages open at once; a further one is refused (503). @default 4 */
  maxInspectors?: number;
  /**
   * The inspector's own secret (at least 16 characters), separate from the pages' token: the
   * inspector can send messages and call functions, so only who holds its URL may open it.
   * @default 24 random bytes, base64url
   */
  token?: string;
}

/** The defaults of {@link InspectorOptions}. */
export const DEFAULT_INSPECTOR_OPTIONS = Object.freeze({
  path: '/__hise-webview/inspector/',
  updateRate: 10,
  history: true,
  logSize: 5000,
  logBytes: 4 * 1024 * 1024,
  callLogSize: 200,
  previewPoints: 256,
  maxIds: 256,
  maxInspectors: 4,
});

/** An inspector attached to a host (see {@link attachInspector}). */
export interface Inspector {
  /** The URL to open (with its token in the fragment), once the host listens; `undefined` before. */
  readonly url: string | undefined;
  /** The inspector's token. */
  readonly token: string;
  /** Inspector pages connected now. */
  readonly connected: number;
  /** True while the host is observed: from attach with `history` (until `close`), else while an inspector page is connected. */
  readonly observing: boolean;
  /**
   * What went to the inspector pages connected now: frames sent, snapshots coalesced (a page that
   * reads slowly gets the newest, not a backlog) and bytes waiting for them.
   */
  readonly stats: { readonly framesSent: number; readonly framesCoalesced: number; readonly bufferedBytes: number };
  /** Closes the inspector pages and unmounts the inspector. */
  close(): Promise<void>;
}

const SOCKET = 'socket';
const SCRIPT = 'inspector.js';
const STYLE = 'inspector.css';
const MIN_TOKEN_LENGTH = 16;
const MIN_LOG_BYTES = 16 * 1024;

/**
 * Serves the inspector on the host's port at `options.path` (`/__hise-webview/inspector/`): a page
 * showing what crosses the bridge, live, with a console to send messages and call functions. Open
 * {@link Inspector.url} in a browser: the page needs the inspector's token (in the URL's fragment)
 * and must come from the host's own origin; nothing else may connect.
 *
 * With `history` (the default), the host is observed from this call on and a bounded log of its
 * traffic is kept (`logSize`, `logBytes`), so an inspector page opened later shows what came
 * before; `history: false` observes only while an inspector page is open. Observing costs a few
 * counter updates per message; previews and snapshots run at `updateRate` while a page is open; a
 * slow inspector page gets fewer snapshots, never slows pages. Without `attachInspector`, nothing
 * is observed.
 *
 * The inspector's socket is not a page of the host: not in `wv.pages`, not counted by `maxPages`,
 * never sent the host's messages.
 * @throws {WebViewError} `INVALID_OPTION`
 */
export function attachInspector(wv: WebView, options: InspectorOptions = {}): Inspector {
  const resolved = resolveInspectorOptions(options);
  const token = options.token ?? randomBytes(24).toString('base64url');
  // The inspector pages' own host: its pages are the inspectors, never the host's pages.
  const inner = new WebView({
    token,
    maxPages: resolved.maxInspectors,
    maxConnectionsPerPage: 1,
    allowedOrigins: wv.options.allowedOrigins,
    allowedHosts: wv.options.allowedHosts,
    heartbeatInterval: 0,
  });
  inner.on('refused', (info) => wv.emit('refused', info));
  inner.on('error', () => undefined); // an inspector page's own trouble is not the host's
  const observing = observe(wv, inner, resolved);
  offerConsole(wv, inner, () => observing.aggregator);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      unmount();
      observing.stop();
      await inner.close();
    })());
  const unmount = wv.mount(resolved.path, inspectorRoute(wv, inner, resolved.path, close));
  return {
    get url() {
      // `wv.url`, not `wv.port`: with a shared port the host serves its own pages and tools on its private port.
      return wv.url === undefined ? undefined : `${wv.url.replace(/\/$/, '')}${resolved.path}#token=${encodeURIComponent(token)}`;
    },
    token,
    get connected() {
      return inner.pages.length;
    },
    get observing() {
      return observing.aggregator !== undefined;
    },
    get stats() {
      return outboxStats(inner);
    },
    close,
  };
}

/**
 * Observes `wv` from now on (`history`) or from the first inspector page's connection until the
 * last one's close, and pushes snapshots at `updateRate` while an inspector page is open. A page
 * that connects gets the whole history first (a control message, so no snapshot overtakes it).
 */
function observe(wv: WebView, inner: WebView, options: ResolvedInspectorOptions): { readonly aggregator: Aggregator | undefined; stop(): void } {
  const interval = 1000 / options.updateRate;
  let observed: { aggregator: Aggregator; unobserve: () => void } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const start = (): Aggregator => {
    if (observed === undefined) {
      const aggregator = new Aggregator(observedHost(wv), { ...options, sampleInterval: interval });
      observed = { aggregator, unobserve: wv.observe(aggregator.observe) };
    }
    return observed.aggregator;
  };
  const unobserve = (): void => {
    observed?.unobserve();
    observed = undefined;
  };
  const stopPushing = (): void => {
    clearInterval(timer);
    timer = undefined;
  };
  if (options.history) start();
  inner.on('connect', (page: Page) => {
    const aggregator = start();
    inner.sendTo(page, HISTORY_ID, aggregator.history() as never);
    if (timer === undefined) {
      timer = setInterval(() => push(inner, aggregator), interval);
      timer.unref();
    }
    push(inner, aggregator); // the new inspector starts from a snapshot
  });
  inner.on('disconnect', () => {
    if (inner.pages.length > 0) return;
    stopPushing();
    if (!options.history) unobserve();
  });
  return {
    get aggregator() {
      return observed?.aggregator;
    },
    stop() {
      stopPushing();
      unobserve();
    },
  };
}

/** The inspector's path on the host: its page and files, and its socket for its own page only. */
function inspectorRoute(wv: WebView, inner: WebView, path: string, close: () => Promise<void>): ToolRoute {
  return {
    request: (request, response, parsed) => serve(request, response, parsed, path),
    upgrade: (request, socket, head, parsed) => {
      if (parsed.pathname !== `${path}${SOCKET}`) {
        writeRefusal(socket, 404);
        return;
      }
      if (!isSameOrigin(request)) {
        writeRefusal(socket, 403);
        wv.emit('refused', { reason: 'origin', origin: request.headers.origin, remoteAddress: request.socket.remoteAddress });
        return;
      }
      inner.handleUpgrade(request, socket, head); // the token, maxInspectors
    },
    close,
  };
}

function outboxStats(inner: WebView): Inspector['stats'] {
  const stats = { framesSent: 0, framesCoalesced: 0, bufferedBytes: 0 };
  for (const page of inner.pages) {
    stats.framesSent += page.stats.framesSent;
    stats.framesCoalesced += page.stats.framesCoalesced;
    stats.bufferedBytes += page.bufferedBytes;
  }
  return stats;
}

/** Pushes a snapshot as bytes: a stream, so a page that reads slowly gets the newest, never a backlog. */
function push(inner: WebView, aggregator: Aggregator): void {
  if (inner.pages.length === 0) return;
  // The observations' clock (performance-based epoch), not Date.now(): the two drift apart.
  const bytes = new TextEncoder().encode(JSON.stringify(aggregator.snapshot(performance.timeOrigin + performance.now())));
  inner.send(SNAPSHOT_ID, bytes);
}

/** The inspector page's functions: its console acts on the host as the host's author would. */
function offerConsole(wv: WebView, inner: WebView, aggregator: () => Aggregator | undefined): void {
  const pageById = (id: unknown): Page => {
    const page = wv.pages.find((p) => p.id === id);
    if (page === undefined) throw new CallError('DISCONNECTED', `no page ${String(id)} is connected`);
    return page;
  };
  const run = async (kind: string, name: string, args: unknown[], page: number | undefined, action: () => unknown): Promise<unknown> => {
    const settle = aggregator()?.inspectorCall(kind, name, args, page);
    const started = performance.now();
    try {
      const value = await action();
      settle?.(true, value, started);
      return bounded(value, MAX_DEPTH);
    } catch (error) {
      settle?.(false, error, started);
      throw error;
    }
  };
  inner.handle('send', (target: unknown, id: unknown, data: unknown, as: unknown) => {
    const value = as === 'string' ? String(data) : as === 'float32' ? toFloat32(data) : data;
    if (typeof id !== 'string') throw new CallError('INVALID_ARGUMENT', 'send needs an id');
    return target === 'all' ? wv.send(id, value as never) : wv.sendTo(pageById(target), id, value as never);
  });
  inner.handle('callPage', (page: unknown, name: unknown, args: unknown) =>
    run('call', String(name), list(args), Number(page), () => wv.call(pageById(page), String(name), ...list(args))),
  );
  inner.handle('callFunction', (name: unknown, ...rest: unknown[]) =>
    run('callFunction', String(name), rest, undefined, async () => settledList(await wv.callFunction(String(name), ...(rest.length > 0 ? [rest[0]] : [])))),
  );
  inner.handle('callHost', (name: unknown, args: unknown) => run('host', String(name), list(args), undefined, () => hostInternals(wv).runHandler(String(name), list(args))));
  inner.handle('log', (after: unknown) => {
    const kept = aggregator();
    if (kept === undefined) throw new CallError('UNAVAILABLE', 'the host is not observed');
    return kept.logAfter(Number(after) || 0, LOG_ENTRIES_PER_FILL);
  });
  inner.handle('setParameter', (id: unknown, value: unknown) =>
    run('parameter', String(id), [value], undefined, () => {
      const parameter = wv.parameters.get(String(id));
      if (parameter === undefined) throw new CallError('UNKNOWN_PARAMETER', `no parameter '${String(id)}' is declared`);
      parameter.set(value as never);
      return parameter.value;
    }),
  );
}

function list(args: unknown): unknown[] {
  return Array.isArray(args) ? args : [];
}

function toFloat32(data: unknown): Float32Array {
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'number')) throw new CallError('INVALID_ARGUMENT', 'float32 needs an array of numbers');
  return Float32Array.from(data as number[]);
}

/** callFunction's settled results as plain values the console can show. */
function settledList(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.map((result) =>
    result.status === 'fulfilled' ? { ok: true, value: result.value } : { ok: false, error: String((result.reason as Error)?.message ?? result.reason) },
  );
}

async function serve(request: IncomingMessage, response: ServerResponse, parsed: ParsedRequest, path: string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(request, response, 405, 'text/plain; charset=utf-8', 'method not allowed');
  if (parsed.pathname === path.slice(0, -1)) {
    response.writeHead(308, { ...INSPECTOR_HEADERS, Location: path });
    response.end();
    return;
  }
  const file = parsed.pathname.slice(path.length);
  if (file === '') return answer(request, response, 200, 'text/html; charset=utf-8', inspectorHtml());
  if (file === STYLE) return answer(request, response, 200, 'text/css; charset=utf-8', INSPECTOR_CSS);
  if (file !== SCRIPT) return answer(request, response, 404, 'text/plain; charset=utf-8', 'not found');
  const script = await loadClientScript(PAGE_SCRIPT);
  if (script === undefined) return answer(request, response, 503, 'text/plain; charset=utf-8', `${PAGE_SCRIPT} has not been built: run \`npm run build\``);
  return answer(request, response, 200, 'text/javascript; charset=utf-8', script);
}

function answer(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...INSPECTOR_HEADERS, 'Content-Type': type, 'Content-Length': bytes.byteLength });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/**
 * The inspector's socket opens only from its own page: the `Origin` is the very origin the request
 * names in `Host` (which the HTTP guard has allowed). Other loopback pages (a dev server, another
 * app's page on localhost) and requests without an `Origin` are refused.
 */
function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  return origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

function writeRefusal(socket: Duplex, status: 403 | 404): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

type ResolvedInspectorOptions = typeof DEFAULT_INSPECTOR_OPTIONS & { path: string };

function resolveInspectorOptions(options: InspectorOptions): ResolvedInspectorOptions {
  if (typeof options !== 'object' || options === null) throw new WebViewError('INVALID_OPTION', 'attachInspector takes an options object');
  const unknown = unknownOptionProblem(options, [...Object.keys(DEFAULT_INSPECTOR_OPTIONS), 'token'], 'inspector option');
  if (unknown !== undefined) throw new WebViewError('INVALID_OPTION', unknown);
  const resolved = { ...DEFAULT_INSPECTOR_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedInspectorOptions & { token?: string };
  for (const key of ['logSize', 'callLogSize', 'previewPoints', 'maxIds', 'maxInspectors'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) throw new WebViewError('INVALID_OPTION', `inspector option ${key} must be a whole number >= 1`);
  }
  if (!Number.isSafeInteger(resolved.logBytes) || resolved.logBytes < MIN_LOG_BYTES) {
    throw new WebViewError('INVALID_OPTION', `inspector option logBytes must be a whole number >= ${MIN_LOG_BYTES}`);
  }
  if (typeof resolved.history !== 'boolean') throw new WebViewError('INVALID_OPTION', 'inspector option history must be true or false');
  if (typeof resolved.updateRate !== 'number' || !(resolved.updateRate >= 1 && resolved.updateRate <= 60)) {
    throw new WebViewError('INVALID_OPTION', 'inspector option updateRate must be a number from 1 to 60');
  }
  if (resolved.token !== undefined && (typeof resolved.token !== 'string' || resolved.token.length < MIN_TOKEN_LENGTH)) {
    throw new WebViewError('INVALID_OPTION', `inspector option token must be a string of at least ${MIN_TOKEN_LENGTH} characters`);
  }
  if (typeof resolved.path !== 'string') throw new WebViewError('INVALID_OPTION', 'inspector option path must be a string');
  return resolved;
}

