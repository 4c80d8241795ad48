import { nearestName } from '../protocol/closest-name.js';
import { WebViewError } from './errors.js';
import { allowedHostsProblem, type AllowedHosts } from './http/host-policy.js';
import { resolveLanOptions, type LanOptions, type ResolvedLanOptions } from './lan/lan-options.js';

/** Options of a {@link WebView}. Every limit has a unit and a default. */
export interface WebViewOptions {
  /**
   * Where to listen. `'loopback'` binds both 127.0.0.1 and ::1 (so `ws://localhost` works whichever
   * one a browser tries first); any other value is passed to `server.listen` as the host.
   * @default 'loopback'
   */
  host?: string;
  /** Bytes of the largest message a page may send; larger ones close the page with 1009. @default 16 MiB */
  maxPayload?: number;
  /**
   * Bytes buffered for one connection's socket above which its stream frames (floats, typed arrays)
   * are coalesced per id (latest wins) and strings and JSON wait in order; they go again once it has
   * drained to half of this. @default 1 MiB
   */
  highWaterMark?: number;
  /**
   * Bytes the fresh-streams window (see `streamWindow`) may grow to for a fast page. Unset, it is
   * 1 MiB or `streamWindow`, whichever is larger; set, it must be at least `streamWindow`. @default 1 MiB
   */
  maxStreamWindow?: number;
  /**
   * Bytes of strings, JSON and control frames waiting for one connection above which its parameter
   * value frames wait for the next `parameterInterval` (the latest value of each id still wins).
   * @default 1 MiB
   */
  parameterHighWaterMark?: number;
  /**
   * Bytes of stream frames (typed arrays, bytes) in flight to one modern page that speaks fresh
   * streams: written by the host and not yet handed to the page's listeners, at least (see
   * `streamLatency`). Past it, the newest
   * frame of each id waits (latest wins) until the page acknowledges what it consumed, so a slow or
   * stalled page only ever receives fresh frames. Strings, JSON and calls never wait for it. A
   * frame larger than the window still goes, alone. 0 turns the window off (subscriptions,
   * rate caps and hidden pages still apply). Other pages (HISE's client, the drop-in, older modern
   * clients) are not affected. The page acknowledges at half the window it was last told (the host
   * tells it again, StreamWindow, whenever the window has moved 1.5× away) or at the end of a burst,
   * so a page that keeps up sends one ack per half window, not one per frame. @default 64 KiB
   */
  streamWindow?: number;
  /**
   * Milliseconds stream frames may wait in buffers on their way to a modern page beyond the path's
   * own delay (fresh streams): while frames wait for credit and the measured queueing delay (write →
   * ack, minus the smallest such delay of the last 2–4 s) is below this, the window grows past
   * `streamWindow` (up to `maxStreamWindow`); above it, it shrinks back (as LEDBAT, RFC 6817). So a
   * fast page is not held to a small window, and a slow one has at most about this much queued
   * ahead of the newest frame. 0 keeps the window at `streamWindow`. @default 8
   */
  streamLatency?: number;
  /** Ids one page's subscriptions may name (each list); a larger Subscriptions frame is refused as `INVALID_FRAME`. @default 1024 */
  maxSubscriptionIds?: number;
  /** Bytes of string frames a congested page may have waiting before it is disconnected. @default 32 MiB */
  maxQueuedBytesPerPage?: number;
  /** Ids held (latest message each) while no page is connected; a new id beyond this is dropped. @default 1024 */
  maxPendingIds?: number;
  /** Milliseconds between pings; a page that has not answered the previous ping is disconnected. 0 disables. @default 15000 */
  heartbeatInterval?: number;
  /** Milliseconds `close()` waits for pages to answer the close frame before cutting them off. @default 1000 */
  closeTimeout?: number;
  /**
   * Accept the `hise-webview.1` extension from modern clients. `false` makes the host behave like
   * HISE itself (it ignores subprotocols), e.g. to check that a page still works inside HISE.
   * @default true
   */
  extensions?: boolean;
  /**
   * Answer HISE-format pages' parameter messages (`{"hwv": "param", …}`, PROTOCOL.md §9 "HISE mode")
   * with this host's parameters. `false` hands them to `setWebSocketCallback` like any message, as
   * HISE does: what `hise-webview proxy` needs, since the HISE script answers them. @default true
   */
  hiseParameters?: boolean;
  /**
   * A secret every connection must present as `?token=…`; others are refused with 401 before the
   * upgrade. `'auto'`: a random one per launch, which the host puts into the pages it serves (and
   * its bridge script). Unset: no token is asked for (HISE's behaviour).
   */
  token?: string | undefined;
  /** Milliseconds a call to a page waits for its result before rejecting with `CALL_TIMEOUT`. @default 10000 */
  callTimeout?: number;
  /** Calls to one page that may wait at once; more reject with `TOO_MANY_CALLS`. @default 1024 */
  maxPendingCalls?: number;
  /**
   * Calls from one page the host may be running at once; more are answered with `TOO_MANY_CALLS`
   * without running the handler, so a page cannot pile up unbounded work. @default 256
   */
  maxIncomingCalls?: number;
  /**
   * Pages connected at once (a browser tab with the bridge is one page however many sockets it
   * opens; see `maxConnectionsPerPage`); a further upgrade is refused with HTTP 503 and a `refused` event with
   * reason `'capacity'`. @default 64
   */
  maxPages?: number;
  /**
   * Connections one page (browser tab) may have open at once: its bridge's and those of its own
   * clients, which all carry its tab id. A further one is refused like a page over `maxPages`
   * (HTTP 503, `refused` with reason `'capacity'`). @default 8
   */
  maxConnectionsPerPage?: number;
  /**
   * Milliseconds a connection may take from TCP accept to complete request headers (an upgrade or
   * an HTTP request); slower ones (a stalled or slowloris client) are destroyed and reported as
   * `refused` with reason `'timeout'`. 0 disables. @default 10000
   */
  handshakeTimeout?: number;
  /** Arguments a page's call may carry; more are answered `TOO_MANY_ARGUMENTS` without running. @default 1000 */
  maxCallArguments?: number;
  /** Client sessions remembered for exactly-once delivery across reconnects (least recently used forgotten first). @default 1024 */
  maxSessions?: number;
  /**
   * Sessions one source may have logs for at once; a source is the peer's address plus the page's
   * `Origin`. A further session of that source makes the host forget its least recently active
   * disconnected one, so a page that mints session ids cannot grow the host's memory or push out
   * other pages' sessions. @default 16
   */
  maxSessionsPerSource?: number;
  /**
   * Bytes all session logs together may hold: unacknowledged strings and JSON kept for modern
   * pages, a message held by many sessions counted once, plus 64 bytes per log entry. Past it,
   * disconnected sessions are forgotten first (least recently active first), then the connected
   * one holding the most. @default 64 MiB
   */
  maxSessionBytes?: number;
  /**
   * How far past the last number delivered for a session a page's next message may be numbered.
   * Pages number without gaps, so a number further on is forged or broken: it is refused with an
   * `INVALID_SEQUENCE` error and never moves the session's ledger. @default 1024
   */
  sequenceWindow?: number;
  /**
   * Milliseconds the host keeps the unacknowledged strings and JSON it sent to a modern page's
   * session after the page disconnected, to resend them when it reconnects (exactly once). @default 30000
   */
  sessionTimeout?: number;
  /**
   * Origins accepted beside loopback pages and HISE's own webview origins, e.g. `https://my.app`.
   * `'null'` admits pages without an origin (a sandboxed iframe, a `data:` or `file:` page), which
   * any web site can create: list it only when such a page must connect. @default []
   */
  allowedOrigins?: readonly string[];
  /**
   * Admit pages opened from disk (`file://`, whose Origin is `null`, the way HISE loads its webview),
   * only together with a `token`: any web site can also make a `null`-origin page, and the token is
   * what it lacks. Adds `'null'` to `allowedOrigins`. Without a token: `INVALID_OPTION`. @default false
   */
  allowFilePages?: boolean;
  /**
   * Host names accepted in the `Host` header of requests and upgrades beside `localhost`,
   * `*.localhost`, 127.0.0.0/8 and `[::1]` with the host's own port (the DNS-rebinding defence).
   * `'.my.test'` also accepts subdomains; `true` accepts any name. Needed when the host listens on
   * another address or sits behind a proxy that keeps its own `Host`. @default []
   */
  allowedHosts?: AllowedHosts;
  /**
   * What a page's `await window[name](...)` gets when the bound callback throws (or rejects):
   * `'reject'` rejects with the error's name, message and code; `'null'` resolves with `null` and
   * reports `CALLBACK_FAILED`, as HISE does (for pages that rely on it).
   * @default 'reject'
   */
  callbackErrors?: 'reject' | 'null';
  /**
   * Milliseconds between two parameter value frames to one page (one display frame): host
   * automation at any rate reaches a page at most this often per parameter, the latest value
   * winning. A change after a quiet interval goes out at once. @default 16
   */
  parameterInterval?: number;
  /**
   * Serve every HTTP answer with `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp`, so the host's pages are cross-origin isolated:
   * `SharedArrayBuffer` works there (the worker client's stream rings, `client.ring(id)`). Pages
   * then load cross-origin resources only when those opt in (CORP or CORS). @default false
   */
  crossOriginIsolation?: boolean;
  /**
   * Share the port with other hise-webview hosts of this user (plugin instances, a CLI, tests):
   * the first to `setEnableWebSocket(port)` holds it as the hub, later ones join it, and another
   * takes over when the hub goes. Every page on the port gets what any instance sends, every
   * instance gets what any page sends; see `wv.instances` and README "Shared port".
   * @default false
   */
  shared?: boolean;
  /**
   * With `shared`: the directory of the per-user secret instances prove to each other (created
   * 0700, the secret file 0600). @default `$XDG_RUNTIME_DIR/hise-webview`, else `hise-webview-<uid>` in the temp directory
   */
  sharedDirectory?: string | undefined;
  /**
   * `'strict'`: behave as HISE does wherever a page could notice (docs/HISE-STRICT.md): latest
   * message per id per ~5 ms cycle, text cut at its character count, arrays and numbers dropped,
   * buffers sent to the first page only, persistent calls and bindings kept over a host-module
   * restart, and a coded `hise-warning` (once per quirk and id) for each limit HISE would break.
   * `'default'`: correct framing and this project's guarantees. @default 'default'
   */
  hise?: 'default' | 'strict';
  /**
   * Also serve phones and tablets on the local network, each paired with a one-time code and given a
   * role (`true` for the defaults; its keys, with theirs, in docs/LAN.md and `LanOptions`).
   * @default off: nothing listens beyond loopback
   */
  lan?: boolean | LanOptions;
}

export type ResolvedWebViewOptions = Required<Omit<WebViewOptions, 'token' | 'sharedDirectory' | 'lan'>> & {
  token: string | undefined;
  sharedDirectory: string | undefined;
  lan: ResolvedLanOptions | undefined;
};

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The host's defaults: what a {@link WebView} uses for every option it is not given (one object,
 * the single source of docs/OPTIONS.md's defaults).
 */
export const DEFAULT_OPTIONS: Readonly<ResolvedWebViewOptions> = Object.freeze({
  host: 'loopback',
  maxPayload: 16 * MiB,
  highWaterMark: 1 * MiB,
  maxStreamWindow: 1 * MiB,
  parameterHighWaterMark: 1 * MiB,
  maxQueuedBytesPerPage: 32 * MiB,
  streamWindow: 64 * KiB,
  streamLatency: 8,
  maxSubscriptionIds: 1024,
  maxPendingIds: 1024,
  heartbeatInterval: 15_000,
  closeTimeout: 1_000,
  token: undefined,
  shared: false,
  sharedDirectory: undefined,
  lan: undefined,
  extensions: true,
  hiseParameters: true,
  callTimeout: 10_000,
  maxPendingCalls: 1024,
  maxIncomingCalls: 256,
  maxPages: 64,
  maxConnectionsPerPage: 8,
  handshakeTimeout: 10_000,
  maxSessions: 1024,
  maxSessionsPerSource: 16,
  maxSessionBytes: 64 * MiB,
  sequenceWindow: 1024,
  maxCallArguments: 1000,
  sessionTimeout: 30_000,
  allowedOrigins: Object.freeze([]) as readonly string[],
  allowFilePages: false,
  allowedHosts: Object.freeze([]) as readonly string[],
  callbackErrors: 'reject',
  parameterInterval: 16,
  hise: 'default',
  crossOriginIsolation: false,
});

/** What a numeric option counts: bytes, milliseconds, or things (ids, pages, calls …: whole numbers). */
export type OptionUnit = 'bytes' | 'ms' | 'count';

type NumericOption = { [K in keyof ResolvedWebViewOptions]: ResolvedWebViewOptions[K] extends number ? K : never }[keyof ResolvedWebViewOptions];

/**
 * Every numeric option's unit, and its least value: 1 where 0 would mean nothing can work (not
 * "unlimited", which is a trap: ws reads a `maxPayload` of 0 as no limit at all).
 */
export const NUMERIC_OPTIONS: Readonly<Record<NumericOption, { readonly unit: OptionUnit; readonly min: 0 | 1 }>> = Object.freeze({
  maxPayload: { unit: 'bytes', min: 1 },
  highWaterMark: { unit: 'bytes', min: 0 },
  maxStreamWindow: { unit: 'bytes', min: 0 },
  parameterHighWaterMark: { unit: 'bytes', min: 0 },
  maxQueuedBytesPerPage: { unit: 'bytes', min: 1 },
  streamWindow: { unit: 'bytes', min: 0 },
  streamLatency: { unit: 'ms', min: 0 },
  maxSubscriptionIds: { unit: 'count', min: 0 },
  maxPendingIds: { unit: 'count', min: 0 },
  heartbeatInterval: { unit: 'ms', min: 0 },
  closeTimeout: { unit: 'ms', min: 0 },
  callTimeout: { unit: 'ms', min: 1 },
  maxPendingCalls: { unit: 'count', min: 1 },
  maxIncomingCalls: { unit: 'count', min: 0 },
  maxPages: { unit: 'count', min: 1 },
  maxConnectionsPerPage: { unit: 'count', min: 1 },
  handshakeTimeout: { unit: 'ms', min: 0 },
  maxSessions: { unit: 'count', min: 0 },
  maxSessionsPerSource: { unit: 'count', min: 1 },
  maxSessionBytes: { unit: 'bytes', min: 1 },
  sequenceWindow: { unit: 'count', min: 1 },
  maxCallArguments: { unit: 'count', min: 0 },
  sessionTimeout: { unit: 'ms', min: 0 },
  parameterInterval: { unit: 'ms', min: 0 },
});

/** The longest delay Node's timers take (2³¹−1 ms, about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * Why `options` holds a key that is not in `known` (naming the closest known one), or undefined
 * when every key is known. `where` names the bag in the message, e.g. `option` or `createTestHost option`.
 */
export function unknownOptionProblem(options: object, known: readonly string[], where = 'option'): string | undefined {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) return `unknown ${where} ${key}${known.length > 0 ? ` (did you mean ${nearestName(key, known)!.name}?)` : ''}`;
  }
  return undefined;
}

function invalid(message: string): never {
  throw new WebViewError('INVALID_OPTION', message);
}

/** Fills in defaults and refuses unknown keys and values of the wrong kind with `INVALID_OPTION`. */
export function resolveOptions(options: WebViewOptions = {}): ResolvedWebViewOptions {
  if (typeof options !== 'object' || options === null) invalid('WebView takes an options object');
  const unknown = unknownOptionProblem(options, Object.keys(DEFAULT_OPTIONS));
  if (unknown !== undefined) invalid(unknown);
  const resolved = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  checkNumbers(resolved);
  if (options.maxStreamWindow === undefined) resolved.maxStreamWindow = Math.max(DEFAULT_OPTIONS.maxStreamWindow, resolved.streamWindow);
  else if (resolved.maxStreamWindow < resolved.streamWindow) {
    invalid(`option maxStreamWindow must be at least streamWindow (${resolved.streamWindow} bytes), got ${resolved.maxStreamWindow}`);
  }
  if (typeof resolved.host !== 'string' || resolved.host === '') invalid('option host must be a non-empty string');
  if (resolved.token !== undefined && (typeof resolved.token !== 'string' || resolved.token === '')) invalid('option token must be a non-empty string');
  if (resolved.callbackErrors !== 'reject' && resolved.callbackErrors !== 'null') {
    invalid(`option callbackErrors must be 'reject' or 'null', got ${String(resolved.callbackErrors)}`);
  }
  if (!Array.isArray(resolved.allowedOrigins) || !resolved.allowedOrigins.every((o) => typeof o === 'string')) {
    invalid('option allowedOrigins must be an array of strings');
  }
  if (typeof resolved.extensions !== 'boolean') invalid('option extensions must be a boolean');
  if (typeof resolved.hiseParameters !== 'boolean') invalid('option hiseParameters must be a boolean');
  if (typeof resolved.shared !== 'boolean') invalid('option shared must be a boolean');
  if (typeof resolved.crossOriginIsolation !== 'boolean') invalid('option crossOriginIsolation must be a boolean');
  if (resolved.sharedDirectory !== undefined && (typeof resolved.sharedDirectory !== 'string' || resolved.sharedDirectory === '')) {
    invalid('option sharedDirectory must be a non-empty path');
  }
  if (resolved.hise !== 'default' && resolved.hise !== 'strict') invalid(`option hise must be 'default' or 'strict', got ${String(resolved.hise)}`);
  if (typeof resolved.allowFilePages !== 'boolean') throw new WebViewError('INVALID_OPTION', 'option allowFilePages must be a boolean');
  if (resolved.allowFilePages) {
    if (resolved.token === undefined) throw new WebViewError('INVALID_OPTION', "option allowFilePages needs a token (any web site can make a page whose Origin is null): set token, e.g. 'auto'");
    if (!resolved.allowedOrigins.includes('null')) resolved.allowedOrigins = [...resolved.allowedOrigins, 'null'];
  }
  const hostsProblem = allowedHostsProblem(resolved.allowedHosts);
  if (hostsProblem !== undefined) invalid(hostsProblem);
  resolved.lan = resolveLanOptions(options.lan);
  if (resolved.lan !== undefined && resolved.shared) invalid('option lan cannot be used with shared (serve the LAN from one host)');
  return resolved;
}

function checkNumbers(resolved: ResolvedWebViewOptions): void {
  for (const [key, { unit, min }] of Object.entries(NUMERIC_OPTIONS) as [NumericOption, (typeof NUMERIC_OPTIONS)[NumericOption]][]) {
    const value = resolved[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) invalid(`option ${key} must be a finite number >= 0, got ${String(value)}`);
    if (value < min) invalid(`option ${key} must be at least ${min}, got ${value}`);
    if (unit === 'count' && !Number.isInteger(value)) invalid(`option ${key} must be a whole number, got ${value}`);
    // Node fires a longer timer after 1 ms instead, which would turn a lenient limit into none.
    if (unit === 'ms' && value > MAX_TIMER_MS) invalid(`option ${key} must be at most ${MAX_TIMER_MS} ms, got ${value}`);
  }
}
