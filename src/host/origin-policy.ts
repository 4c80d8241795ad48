/** Hosts that are this machine: a page served from any of them may connect. */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origins HISE's native webview (choc) gives its pages. */
const HISE_WEBVIEW_ORIGINS = new Set(['https://choc.localhost', 'choc://choc.choc']);

/**
 * Decides whether a WebSocket upgrade with this `Origin` header may proceed (see SECURITY notes in
 * README): no Origin (a non-browser client), `null` (a file or sandboxed page), loopback pages over
 * http or https on any port, HISE's webview origins, and the `allowed` list. Everything else is a
 * web site the user happens to have open, which must not reach the host.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === 'null') return true;
  if (HISE_WEBVIEW_ORIGINS.has(origin) || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false; // paths, credentials or odd spellings are not an origin
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
}
