import { homedir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { WebViewError } from '../errors.js';
import { unknownOptionProblem } from '../options.js';

/** What a paired device may do: `control` everything a page can; `view` only receive (docs/LAN.md "Roles"). */
export type DeviceRole = 'control' | 'view';

/**
 * `lan`: serve pages to phones and tablets on the local network, paired (docs/LAN.md). Every
 * member has a default; an unknown key is an `INVALID_OPTION`.
 */
export interface LanOptions {
  /**
   * The LAN address(es) to listen on (IPv4 or IPv6 literals). @default every non-internal IPv4
   * address of this machine's network interfaces
   */
  host?: string | readonly string[];
  /** The LAN port; 0 picks a free one. @default the host's own port (same number, LAN addresses) */
  port?: number | undefined;
  /**
   * Serve the LAN over TLS: `true` with a self-signed certificate generated once and kept in
   * `directory` (its fingerprint is `wv.lan.fingerprint`), or your own PEM files. @default false
   */
  https?: boolean | { readonly cert: string; readonly key: string };
  /** The role of pairing codes made without one. @default 'control' */
  role?: DeviceRole;
  /** A device becomes paired only when the `pairing` event's listener approves it (`serve --lan-approve`). @default false */
  approve?: boolean;
  /** Milliseconds a pairing request waits for that approval before it is refused. @default 120000 */
  approveTimeout?: number;
  /** Keep paired devices in memory only (forgotten on restart). @default false */
  ephemeral?: boolean;
  /**
   * The per-user directory of `lan-devices.json` and the generated certificate (created 0700,
   * files 0600). @default `$XDG_CONFIG_HOME/hise-webview`, else `~/.config/hise-webview`
   */
  directory?: string;
  /** Announce the host by mDNS/DNS-SD as `_hise-webview._tcp`. @default true */
  mdns?: boolean;
  /** The mDNS instance name. @default 'hise-webview' */
  name?: string;
  /** Milliseconds a pairing code lives. @default 300000 (5 minutes) */
  codeLifetime?: number;
  /** Pairing attempts one address may make per minute. @default 5 */
  maxAttemptsPerAddress?: number;
  /** Pairing attempts all addresses together may make per minute. @default 20 */
  maxAttempts?: number;
  /** Paired devices kept; pairing beyond it is refused. @default 64 */
  maxDevices?: number;
}

export interface ResolvedLanOptions {
  readonly host: readonly string[] | undefined;
  readonly port: number | undefined;
  readonly https: false | 'generate' | { readonly cert: string; readonly key: string };
  readonly role: DeviceRole;
  readonly approve: boolean;
  readonly approveTimeout: number;
  readonly ephemeral: boolean;
  readonly directory: string;
  readonly mdns: boolean;
  readonly name: string;
  readonly codeLifetime: number;
  readonly maxAttemptsPerAddress: number;
  readonly maxAttempts: number;
  readonly maxDevices: number;
}

const LAN_KEYS = ['host', 'port', 'https', 'role', 'approve', 'approveTimeout', 'ephemeral', 'directory', 'mdns', 'name', 'codeLifetime', 'maxAttemptsPerAddress', 'maxAttempts', 'maxDevices'];

/** The per-user directory devices and the certificate are kept in. */
export function defaultLanDirectory(): string {
  const config = process.env.XDG_CONFIG_HOME;
  return join(config !== undefined && config !== '' ? config : join(homedir(), '.config'), 'hise-webview');
}

function invalid(message: string): never {
  throw new WebViewError('INVALID_OPTION', `option lan: ${message}`);
}

function count(value: unknown, name: string, fallback: number, min: number, max = 0x7fffffff): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) invalid(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  return value;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(`${name} must be a boolean`);
  return value;
}

/** `lan` resolved: `undefined` when off (false or unset). @throws {WebViewError} `INVALID_OPTION` */
export function resolveLanOptions(value: unknown): ResolvedLanOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const given = (value === true ? {} : value) as LanOptions;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) invalid('must be true, false or an options object');
  const unknown = unknownOptionProblem(given, LAN_KEYS, 'lan option');
  if (unknown !== undefined) throw new WebViewError('INVALID_OPTION', unknown);
  const hosts = given.host === undefined ? undefined : typeof given.host === 'string' ? [given.host] : given.host;
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((host) => typeof host === 'string' && isIP(host) !== 0))) {
    invalid('host must be an IP address or a non-empty list of them');
  }
  // The gate admits the Host names of the addresses listened on: a wildcard names none of them.
  if (hosts?.some((host) => host === '0.0.0.0' || host === '::')) invalid('host must be the LAN address itself, not a wildcard (leave host out for every LAN address)');
  const https = given.https === undefined || given.https === false ? false : given.https === true ? 'generate' : given.https;
  if (https !== false && https !== 'generate' && (typeof https !== 'object' || typeof https.cert !== 'string' || typeof https.key !== 'string' || https.cert === '' || https.key === '')) {
    invalid('https must be a boolean or { cert, key } (paths of PEM files)');
  }
  const role = given.role ?? 'control';
  if (role !== 'control' && role !== 'view') invalid(`role must be 'control' or 'view', got ${String(role)}`);
  if (given.directory !== undefined && (typeof given.directory !== 'string' || given.directory === '')) invalid('directory must be a non-empty path');
  if (given.name !== undefined && (typeof given.name !== 'string' || given.name === '' || given.name.length > 63)) invalid('name must be 1 to 63 characters');
  return Object.freeze({
    host: hosts === undefined ? undefined : Object.freeze([...hosts]),
    port: given.port === undefined ? undefined : count(given.port, 'port', 0, 0, 65535),
    https: https === false || https === 'generate' ? https : Object.freeze({ cert: https.cert, key: https.key }),
    role,
    approve: flag(given.approve, 'approve', false),
    approveTimeout: count(given.approveTimeout, 'approveTimeout', 120_000, 1),
    ephemeral: flag(given.ephemeral, 'ephemeral', false),
    directory: given.directory ?? defaultLanDirectory(),
    mdns: flag(given.mdns, 'mdns', true),
    name: given.name ?? 'hise-webview',
    codeLifetime: count(given.codeLifetime, 'codeLifetime', 300_000, 1),
    maxAttemptsPerAddress: count(given.maxAttemptsPerAddress, 'maxAttemptsPerAddress', 5, 1),
    maxAttempts: count(given.maxAttempts, 'maxAttempts', 20, 1),
    maxDevices: count(given.maxDevices, 'maxDevices', 64, 1),
  });
}
