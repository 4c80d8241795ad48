import { WebViewError } from './errors.js';

/** Options of a {@link WebView}. Every limit has a unit and a default. */
export interface WebViewOptions {
  /**
   * Where to listen. `'loopback'` binds both 127.0.0.1 and ::1 (so `ws://localhost` works whichever
   * one a browser tries first); any other value is passed to `server.listen` as the host.
   * @default 'loopback'
   */
  host?: string;
  /** Largest message a page may send, in bytes; larger ones close the page with 1009. @default 16 MiB */
  maxPayload?: number;
  /**
   * Bytes buffered for one page above which float frames are coalesced per id (latest wins) and
   * string frames wait in order. @default 1 MiB
   */
  highWaterMark?: number;
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
   * Milliseconds the host keeps the unacknowledged strings and JSON it sent to a modern page's
   * session after the page disconnected, to resend them when it reconnects (exactly once). @default 30000
   */
  sessionTimeout?: number;
  /** Origins accepted beside loopback, `null` and HISE's own webview origins, e.g. `https://my.app`. @default [] */
  allowedOrigins?: readonly string[];
}

export type ResolvedWebViewOptions = Required<Omit<WebViewOptions, 'token'>> & { token: string | undefined };

const MiB = 1024 * 1024;

export const DEFAULT_OPTIONS: Readonly<ResolvedWebViewOptions> = Object.freeze({
  host: 'loopback',
  maxPayload: 16 * MiB,
  highWaterMark: 1 * MiB,
  maxQueuedBytesPerPage: 32 * MiB,
  maxPendingIds: 1024,
  heartbeatInterval: 15_000,
  closeTimeout: 1_000,
  token: undefined,
  extensions: true,
  callTimeout: 10_000,
  maxPendingCalls: 1024,
  maxIncomingCalls: 256,
  maxPages: 64,
  maxConnectionsPerPage: 8,
  handshakeTimeout: 10_000,
  maxSessions: 1024,
  maxCallArguments: 1000,
  sessionTimeout: 30_000,
  allowedOrigins: Object.freeze([]) as readonly string[],
});

const NUMERIC_OPTIONS = [
  'maxPayload',
  'highWaterMark',
  'maxQueuedBytesPerPage',
  'maxPendingIds',
  'heartbeatInterval',
  'closeTimeout',
  'callTimeout',
  'maxPendingCalls',
  'maxIncomingCalls',
  'maxPages',
  'maxConnectionsPerPage',
  'handshakeTimeout',
  'maxSessions',
  'maxCallArguments',
  'sessionTimeout',
] as const;

/** Options that become `setTimeout`/`setInterval` delays. */
const TIMER_OPTIONS = ['heartbeatInterval', 'closeTimeout', 'callTimeout', 'handshakeTimeout', 'sessionTimeout'] as const;
/** The longest delay Node's timers take (2³¹−1 ms, about 24.8 days). */
const MAX_TIMER_MS = 0x7fffffff;

/** Fills in defaults and refuses values of the wrong kind with `INVALID_OPTION`. */
export function resolveOptions(options: WebViewOptions = {}): ResolvedWebViewOptions {
  const resolved = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  for (const key of NUMERIC_OPTIONS) {
    const value = resolved[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new WebViewError('INVALID_OPTION', `option ${key} must be a finite number >= 0, got ${String(value)}`);
    }
  }
  for (const key of TIMER_OPTIONS) {
    if (resolved[key] > MAX_TIMER_MS) {
      // Node fires a longer timer after 1 ms instead, which would turn a lenient limit into none.
      throw new WebViewError('INVALID_OPTION', `option ${key} must be at most ${MAX_TIMER_MS} ms, got ${resolved[key]}`);
    }
  }
  if (typeof resolved.host !== 'string' || resolved.host === '') {
    throw new WebViewError('INVALID_OPTION', 'option host must be a non-empty string');
  }
  if (resolved.token !== undefined && (typeof resolved.token !== 'string' || resolved.token === '')) {
    throw new WebViewError('INVALID_OPTION', 'option token must be a non-empty string');
  }
  if (!Array.isArray(resolved.allowedOrigins) || !resolved.allowedOrigins.every((o) => typeof o === 'string')) {
    throw new WebViewError('INVALID_OPTION', 'option allowedOrigins must be an array of strings');
  }
  return resolved;
}
