import { isIPv4, isIPv6 } from 'node:net';

/**
 * `allowedHosts`: host names accepted in `Host` beside this machine's loopback names. An entry
 * starting with `.` also accepts every subdomain (`.my.test` accepts `my.test` and `a.my.test`);
 * `true` accepts every host name (turns the DNS-rebinding defence off).
 */
export type AllowedHosts = readonly string[] | true;

/** A `Host` header split into its parts; `port` is undefined when the header names none. */
export interface HostHeader {
  hostname: string;
  port: number | undefined;
}

/** Names that only ever mean this machine: no DNS answer can point them at a web site's server. */
const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/**
 * Splits a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`); undefined when it is not one
 * (empty, a bad port, a user-info part, a path, characters no host name has).
 */
export function parseHostHeader(value: string): HostHeader | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._~!$&'()*+,;=%-]+)(?::(\d{1,5}))?$/i.exec(value);
  if (match === null) return undefined;
  const hostname = match[1]!.toLowerCase();
  if (hostname.startsWith('[') && !isIPv6(hostname.slice(1, -1))) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { hostname, port };
}

/**
 * Whether a request that names `host` may be served by the host listening on `port` — the defence
 * against DNS rebinding: a web site whose name was made to resolve to 127.0.0.1 still sends its own
 * name in `Host`. Accepted: loopback names and addresses (`localhost`, `*.localhost`, 127.0.0.0/8,
 * `[::1]`) with this port, and the `allowed` host names (with any port: a proxy in front may use
 * its own). A `Host` without a port means port 80.
 */
export function isHostAllowed(host: HostHeader, port: number, allowed: AllowedHosts): boolean {
  if (allowed === true || allowed.some((entry) => matchesEntry(host.hostname, entry))) return true;
  return isLoopbackName(host.hostname) && (host.port ?? 80) === port;
}

/** `localhost`, a subdomain of it (RFC 6761 reserves them for loopback), 127.0.0.0/8 or `[::1]`. */
export function isLoopbackName(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost')) return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}

/** An `allowedHosts` entry: a DNS name or IPv4 address, optionally with a leading `.` (subdomains too). */
const HOST_NAME_ENTRY = /^\.?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/i;

function matchesEntry(hostname: string, entry: string): boolean {
  const name = entry.toLowerCase();
  if (name.startsWith('.')) return hostname === name.slice(1) || hostname.endsWith(name);
  return hostname === name;
}

/** Checks the `allowedHosts` option; the message of what is wrong, or undefined. */
export function allowedHostsProblem(value: unknown): string | undefined {
  if (value === true) return undefined;
  if (!Array.isArray(value)) return 'option allowedHosts must be an array of host names or true';
  for (const entry of value) {
    if (typeof entry !== 'string' || !(HOST_NAME_ENTRY.test(entry) || (entry.startsWith('[') && parseHostHeader(entry)?.port === undefined))) {
      return `option allowedHosts: ${JSON.stringify(entry)} is not a host name (no scheme, no port, no wildcard; a leading '.' also allows subdomains)`;
    }
  }
  return undefined;
}
