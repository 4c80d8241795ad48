import { isLoopbackName } from './host-policy.js';

/** The origins HISE's native webview (choc) gives its pages. */
const HISE_WEBVIEW_ORIGINS = new Set(['https://choc.localhost', 'choc://choc.choc']);

/**
 * The origin browsers send for a page without one of its own: a sandboxed iframe, a `data:` or
 * `file:` page. Any web site can make such a page, so it is accepted only when listed.
 */
export const NULL_ORIGIN = 'null';

/**
 * Decides whether a WebSocket upgrade with this `Origin` header may proceed (see SECURITY.md): no
 * Origin (a non-browser client), loopback pages (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`)
 * over http or https on any port, HISE's webview
 * origins, and the `allowed` list (which may contain `'null'`). Everything else — `null` included —
 * is a web site the user happens to have open, which must not reach the host.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (origin === NULL_ORIGIN) return allowed.includes(NULL_ORIGIN);
  if (HISE_WEBVIEW_ORIGINS.has(origin) || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false; // paths, credentials or odd spellings are not an origin
  // The same names the Host check accepts: a page the host serves at one of them may connect back.
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackName(url.hostname);
}

/**
 * The sources of a `frame-ancestors` directive: who may frame the pages the host serves. Loopback
 * pages on any port (a dev server's page may frame the webview), HISE's webview, and the allowed
 * origins that are plain origins (`null` cannot be named there, and nothing else may end up in
 * the header). CSP has no syntax for IPv6 literals, so `[::1]` pages cannot frame it.
 */
export function frameAncestors(allowed: readonly string[]): string[] {
  const sources = ["'self'"];
  for (const scheme of ['http', 'https']) sources.push(`${scheme}://localhost:*`, `${scheme}://127.0.0.1:*`, `${scheme}://*.localhost:*`);
  sources.push(...HISE_WEBVIEW_ORIGINS);
  for (const origin of allowed) if (isPlainOrigin(origin) && !sources.includes(origin)) sources.push(origin);
  return sources;
}

function isPlainOrigin(origin: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) return false;
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}
