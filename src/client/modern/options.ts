import { closestName } from '../../protocol/closest-name.js';
import { bridgeConfig } from '../bridge-config.js';
import { ClientError } from '../client-error.js';
import { MAX_RECONNECT_DELAY_MS, MIN_RECONNECT_DELAY_MS } from '../reconnect.js';
import type { WebSocketConstructor } from './types.js';

const MiB = 1024 * 1024;

/**
 * The modern client's defaults, one place for all of them: what {@link connect} uses for an option
 * left out (or `undefined`). Durations are in milliseconds, sizes in bytes.
 */
export const CLIENT_DEFAULTS = {
  /** Host name when only `port` is given. */
  host: 'localhost',
  /** Milliseconds a call waits for its result. */
  callTimeout: 10_000,
  /** Calls that may wait at once. */
  maxPendingCalls: 1024,
  /** Arguments a call from the host may carry. */
  maxCallArguments: 1000,
  /** Messages kept until the host acknowledges them. */
  maxQueue: 1024,
  /** Bytes of such messages (8 MiB). */
  maxQueueBytes: 8 * MiB,
  extensions: true,
  reconnect: true,
  /** Milliseconds before the first reconnect attempt. */
  minReconnectDelay: MIN_RECONNECT_DELAY_MS,
  /** Milliseconds the reconnect delay is capped at. */
  maxReconnectDelay: MAX_RECONNECT_DELAY_MS,
  exactBuffers: true,
  freshStreams: true,
  ownedFrames: true,
} as const;

/** Options of {@link connect}; unknown keys and values of the wrong kind throw `ClientError` `INVALID_OPTION`. Defaults: {@link CLIENT_DEFAULTS}. */
export interface ConnectOptions {
  /** Full WebSocket URL (`ws:` or `wss:`). Otherwise `ws://{host}:{port}/`. */
  url?: string;
  /** The host's port (what `setEnableWebSocket` resolved), 1–65535. @default the bridge's port ({@link hostPort}) in a page the host or the Vite plugin serves */
  port?: number;
  /** @default 'localhost' */
  host?: string;
  /** The host's token, when it has one (sent as `?token=`). */
  token?: string;
  /** How long a call waits for its result, in milliseconds. @default 10000 */
  callTimeout?: number;
  /** Calls that may wait at once. @default 1024 */
  maxPendingCalls?: number;
  /** Arguments a call from the host may carry; more are answered `TOO_MANY_ARGUMENTS`. @default 1000 */
  maxCallArguments?: number;
  /** Messages kept until the host acknowledges them (also while disconnected). @default 1024 */
  maxQueue?: number;
  /** Size of such messages, in bytes. @default 8 MiB */
  maxQueueBytes?: number;
  /**
   * Offer the `hise-webview.1` extension. `false` speaks HISE's format only, from the first attempt:
   * use it for pages that run inside HISE, which ignores subprotocols (offering one costs a failed
   * first handshake, into which HISE flushes the messages it held for the first page).
   * @default true
   */
  extensions?: boolean;
  /** Reconnect when the connection drops. @default true */
  reconnect?: boolean;
  /** Delay before the first reconnect attempt, in milliseconds; each further attempt doubles it. @default 250 */
  minReconnectDelay?: number;
  /** Cap of the reconnect delay, in milliseconds. @default 5000 */
  maxReconnectDelay?: number;
  /**
   * Every `Float32Array`, other typed array and `Uint8Array` a listener receives owns exactly its
   * data (`byteOffset` 0, `buffer.byteLength === byteLength`), as HISE's client gives: keep it or
   * transfer its buffer to a Worker or an AudioWorklet. It costs one copy per message (see
   * bench/ANALYSIS.md §6). `false` hands out views into the message instead (zero copy when aligned;
   * `data.buffer` then holds the frame's header too, so never build arrays from it).
   * @default true
   */
  exactBuffers?: boolean;
  /**
   * Offer fresh streams (PROTOCOL.md §4.8): credit-based flow control (the host sends at most its
   * `streamWindow` of stream frames ahead of what listeners consumed, the newest per id otherwise),
   * {@link HiseClient.subscribe}, no streams while the page is hidden, and `meta.time` /
   * `meta.samplePosition` with {@link HiseClient.hostTime}. A host that does not speak them ignores
   * the offer. `false`: streams arrive as before (every frame the socket can carry).
   * @default true
   */
  freshStreams?: boolean;
  /**
   * Offer owned stream frames (PROTOCOL.md §4.9): the host sends each stream frame as a small head
   * and a payload message that is exactly the samples, so a listener's typed array *is* the
   * socket's buffer (`byteOffset` 0, `buffer.byteLength === byteLength`) with no copy, whatever
   * `exactBuffers` says. A host that does not speak them ignores the offer.
   * @default true
   */
  ownedFrames?: boolean;
  /** A WebSocket constructor, for running outside a browser (e.g. the `ws` package). @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
}

/** The options a client runs with: every default filled in, the url built from host and port. */
export type ResolvedOptions = Omit<Required<ConnectOptions>, 'port' | 'host' | 'token'> & Pick<ConnectOptions, 'token'>;

/** Highest TCP port. */
const MAX_PORT = 65535;

type Check = (value: unknown) => string | undefined;

const positiveInteger: Check = (value) => (Number.isSafeInteger(value) && (value as number) > 0 ? undefined : 'a positive integer');
const delay: Check = (value) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : 'a finite number of milliseconds >= 0');
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'true or false');
const nonEmptyString: Check = (value) => (typeof value === 'string' && value !== '' ? undefined : 'a non-empty string');

/** Every option `connect` knows, with what its value must be. */
const CHECKS: { readonly [K in keyof Required<ConnectOptions>]: Check } = {
  url: (value) => (typeof value === 'string' && isWebSocketUrl(value) ? undefined : 'a ws:// or wss:// URL'),
  port: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_PORT
      ? undefined
      : `an integer from 1 to ${MAX_PORT} (the port the host resolved; 0 means "any free port" only when the host opens one)`,
  host: nonEmptyString,
  token: nonEmptyString,
  callTimeout: positiveInteger,
  maxPendingCalls: positiveInteger,
  maxCallArguments: positiveInteger,
  maxQueue: positiveInteger,
  maxQueueBytes: positiveInteger,
  extensions: boolean,
  exactBuffers: boolean,
  freshStreams: boolean,
  ownedFrames: boolean,
  reconnect: boolean,
  minReconnectDelay: delay,
  maxReconnectDelay: delay,
  WebSocket: (value) => (typeof value === 'function' ? undefined : 'a WebSocket constructor'),
};

/**
 * Checks `connect` options and fills in the port (and token) from the page's bridge when neither
 * `url` nor `port` is given, so a page the host or the Vite plugin serves needs no configuration.
 * Unset (`undefined`) options take their defaults.
 * @throws {ClientError} `INVALID_OPTION` for an unknown option or a value of the wrong kind; `NO_PORT`
 */
export function resolveConnectOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ClientError('INVALID_OPTION', `connect() takes an options object, got ${describe(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(CHECKS, key)) {
      const near = closestName(key, Object.keys(CHECKS));
      const hint = near === undefined ? `known: ${Object.keys(CHECKS).join(', ')}` : `did you mean '${near}'?`;
      throw new ClientError('INVALID_OPTION', `connect(): unknown option '${key}' (${hint})`);
    }
    const expected = value === undefined ? undefined : CHECKS[key as keyof ConnectOptions](value);
    if (expected !== undefined) throw new ClientError('INVALID_OPTION', `connect(): option ${key} must be ${expected}, got ${describe(value)}`);
  }
  const given = options as ConnectOptions;
  if (given.url !== undefined && (given.port !== undefined || given.host !== undefined)) {
    throw new ClientError('INVALID_OPTION', 'connect(): give either url, or port (and host), not both');
  }
  if ((given.minReconnectDelay ?? 0) > (given.maxReconnectDelay ?? Infinity)) {
    throw new ClientError('INVALID_OPTION', 'connect(): minReconnectDelay must not exceed maxReconnectDelay');
  }
  return withDefaults(given.url !== undefined || given.port !== undefined ? given : withBridgePort(given));
}

/** {@link CLIENT_DEFAULTS} under the options given, the URL built from host and port. */
function withDefaults(options: ConnectOptions): ResolvedOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as ConnectOptions;
  const { port, host, url, ...resolved } = { ...CLIENT_DEFAULTS, ...given };
  const WebSocket = given.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (WebSocket === undefined) throw new TypeError('no WebSocket here: pass options.WebSocket');
  // There is a url or a port (else NO_PORT).
  return { ...resolved, url: url ?? `ws://${host}:${port!}/`, WebSocket };
}

/** The port and token of the page's bridge, for `connect()` called without either. */
function withBridgePort(options: ConnectOptions): ConnectOptions {
  const config = bridgeConfig();
  if (config === undefined) {
    throw new ClientError(
      'NO_PORT',
      "connect() needs a url or a port: this page has no hise-webview bridge to learn it from (pages served by the host or by the Vite plugin have one)",
    );
  }
  const location = (globalThis as { location?: { hostname: string; port: string } }).location;
  const sameHost = location !== undefined && location.port === String(config.port);
  return {
    ...options,
    port: config.port,
    host: options.host ?? (sameHost ? location.hostname : 'localhost'),
    ...(options.token === undefined && config.token !== undefined ? { token: config.token } : {}),
  };
}

function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
