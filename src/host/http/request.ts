import type { IncomingMessage } from 'node:http';
import { HttpFailure } from './failure.js';
import { parseHostHeader, type HostHeader } from './host-policy.js';

/** What the host reads from a request line and its headers, parsed once, in one guarded place. */
export interface ParsedRequest {
  /** The path, dot segments resolved, still percent-encoded (`/a%20b.png`). */
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** The `Host` header; undefined only for an HTTP/1.0 request without one. */
  readonly host: HostHeader | undefined;
  /** The authority of an absolute-form target (`GET http://x:1/ HTTP/1.1`), which must pass the same check. */
  readonly targetHost: HostHeader | undefined;
}

/** Only the authority of this base can come out of parsing an origin-form target against it. */
const BASE = 'http://h.invalid';
const BASE_HOST = 'h.invalid';

/**
 * Parses the request-target (origin-form `/path?query` or absolute-form `http://host/path`) and
 * the `Host` header. Every spelling that would make a URL parser pick another authority
 * (`//%5B`, `/\evil`, `/\t/x`) or fail is refused with 400, as are a missing `Host` on
 * HTTP/1.1 and more than one `Host`. On success `request.url` is rewritten to the canonical
 * origin-form, so code after this point (ws, the page's query) parses only what passed here.
 * @throws {HttpFailure} 400 `INVALID_REQUEST`
 */
export function parseRequest(request: IncomingMessage): ParsedRequest {
  const target = request.url ?? '';
  const { url, targetHost } = parseTarget(target);
  const host = parseHost(request);
  request.url = url.pathname + url.search;
  return { pathname: url.pathname, query: url.searchParams, host, targetHost };
}

function parseTarget(target: string): { url: URL; targetHost: HostHeader | undefined } {
  if (target.startsWith('/')) {
    const url = tryUrl(target, BASE);
    if (url === undefined || url.host !== BASE_HOST) throw badRequest(`request target ${quote(target)} is not a path`);
    // `/.//x` resolves to `//x`: rewritten into request.url, a later parse would read `x` as a host.
    if (url.pathname.startsWith('//')) throw badRequest(`request target ${quote(target)} resolves to a scheme-relative path`);
    return { url, targetHost: undefined };
  }
  if (/^https?:\/\//i.test(target)) {
    const url = tryUrl(target);
    const targetHost = url === undefined ? undefined : parseHostHeader(url.host);
    if (url === undefined || targetHost === undefined || url.username !== '' || url.password !== '' || url.pathname.startsWith('//')) {
      throw badRequest(`request target ${quote(target)} is not a URL this host serves`);
    }
    return { url, targetHost };
  }
  throw badRequest(`request target ${quote(target)} is neither a path nor an http URL`);
}

function parseHost(request: IncomingMessage): HostHeader | undefined {
  let count = 0;
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === 'host') count++;
  if (count > 1) throw badRequest('more than one Host header');
  const value = request.headers.host;
  if (value === undefined) {
    if (request.httpVersionMajor === 1 && request.httpVersionMinor === 0) return undefined;
    throw badRequest('an HTTP/1.1 request without a Host header');
  }
  const host = parseHostHeader(value);
  if (host === undefined) throw badRequest(`Host ${quote(value)} is not a host name`);
  return host;
}

function badRequest(message: string): HttpFailure {
  return new HttpFailure(400, 'INVALID_REQUEST', message);
}

function tryUrl(input: string, base?: string): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}

/** A request value for a message: JSON-quoted (control characters escaped) and cut to 100 characters. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
