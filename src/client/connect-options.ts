import { bridgeConfig } from './bridge-config.js';
import { ClientError } from './client-error.js';
import type { ConnectOptions } from './connect.js';

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
export function resolveConnectOptions(options: unknown): ConnectOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ClientError('INVALID_OPTION', `connect() takes an options object, got ${describe(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(CHECKS, key)) {
      throw new ClientError('INVALID_OPTION', `connect(): unknown option '${key}' (known: ${Object.keys(CHECKS).join(', ')})`);
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
  return given.url !== undefined || given.port !== undefined ? given : withBridgePort(given);
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
