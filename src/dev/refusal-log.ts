import type { RefusedConnection, WebView } from '../host/index.js';
import type { DevLogger } from './log.js';
import { printable } from './printable.js';

/** Milliseconds in which one reason prints one line; the rest are counted and summed up after. */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** How the tool in front of the host (the CLI, the Vite plugin) names what admits a refused page. */
export interface AdmitHints {
  /** What admits pages from disk (`file://`, Origin `null`), token included. */
  filePages: string;
  /** What admits pages of `origin` (a page of the developer's own, never a web site blindly). */
  origin(origin: string): string;
  /** What admits requests naming `hostname` in `Host`. */
  host(hostname: string): string;
  /** Where the token comes from, for a page that lacks it. */
  token(webView: WebView): string;
  /** What raises the page limits. */
  capacity: string;
}

/** The CLI's words: its flags. */
export const CLI_HINTS: AdmitHints = {
  filePages: '--allow-file-pages (with a token from --token-file <file> or HISE_WEBVIEW_TOKEN)',
  origin: (origin) => `--allow-origin ${origin}`,
  host: (hostname) => `--allow-host ${hostname}`,
  token: (webView) => tokenSources(webView, '--token-file <file> or HISE_WEBVIEW_TOKEN'),
  capacity: '--max-pages <n> raises the page limit (maxConnectionsPerPage is a host option)',
};

/** The Vite plugin's words: its options. */
export const VITE_HINTS: AdmitHints = {
  filePages: 'hiseWebview({ webView: { allowFilePages: true, token } })',
  origin: (origin) => `hiseWebview({ webView: { allowedOrigins: ['${origin}'] } })`,
  host: (hostname) => `hiseWebview({ webView: { allowedHosts: ['${hostname}'] } })`,
  token: (webView) => tokenSources(webView, "hiseWebview({ webView: { token: process.env.HISE_WEBVIEW_TOKEN } })"),
  capacity: 'raise hiseWebview({ webView: { maxPages, maxConnectionsPerPage } })',
};

function tokenSources(webView: WebView, setIt: string): string {
  const bridge = webView.bridgeScriptUrl;
  return `Pages the host serves (and Vite pages with the plugin) carry it; another page loads the host's bridge script${bridge === undefined ? '' : ` (${bridge})`} or adds ?token= with a token you set through ${setIt}.`;
}

/** One line saying what was refused, why, and (when that is safe) what admits it. */
export function describeRefusal(info: RefusedConnection, webView: WebView, hints: AdmitHints): string {
  const origin = info.origin === undefined ? undefined : printable(info.origin); // what a page sent is escaped
  const from = origin === undefined ? 'a client without Origin' : `a page from ${origin}`;
  const { maxPages, maxConnectionsPerPage, handshakeTimeout } = webView.options;
  if (info.lan === true && (info.reason === 'host' || info.reason === 'origin')) return describeLanRefusal(info, from);
  switch (info.reason) {
    case 'origin':
      if (origin === 'null') {
        return `refused a page from disk (Origin null: a file:// page or a sandboxed frame): any web site can make such a page, so it is refused unless allowed. Admit yours with ${hints.filePages}.`;
      }
      return `refused ${from}: that origin is neither this machine nor HISE's webview. If it is a page of your own (not a web site you merely have open), admit it with ${hints.origin(origin ?? '')}.`;
    case 'token':
      return `refused ${from}: its token is missing or wrong. ${hints.token(webView)}`;
    case 'host': {
      const host = printable(info.host ?? '');
      const hostname = host.replace(/:\d+$/, '');
      return `refused a request for Host ${host}: that name is not this machine (the DNS-rebinding defence). If you reach the host by that name on purpose, admit it with ${hints.host(hostname)}.`;
    }
    case 'capacity':
      return `refused ${from}: the host is full (${maxPages} pages, or ${maxConnectionsPerPage} sockets in one tab). Close pages you no longer use; ${hints.capacity}.`;
    case 'timeout':
      return `dropped a connection that sent no complete request within ${handshakeTimeout} ms (a stalled client or a port scan; the limit is the option handshakeTimeout).`;
    case 'session':
      return `refused ${from}: its ?session= is not 32 lowercase hex digits (an older client than this host?).`;
    case 'device':
      return `LAN: refused ${printable(info.remoteAddress ?? 'a device')}: not a paired device (or revoked); it pairs by scanning the QR code.`;
    case 'pairing':
      return `LAN: refused a pairing code from ${printable(info.remoteAddress ?? 'a device')}: unknown, expired or used up.`;
    case 'rate':
      return `LAN: refused a pairing attempt from ${printable(info.remoteAddress ?? 'a device')}: too many attempts this minute (someone guessing codes?).`;
  }
}

/**
 * A LAN refusal of a name or an origin: the LAN admits only its own address and origin (the QR code's
 * URL), whatever `allowedHosts` and `allowedOrigins` say, so those are not offered.
 */
function describeLanRefusal(info: RefusedConnection, from: string): string {
  if (info.reason === 'host') {
    return `LAN: refused a request for Host ${printable(info.host ?? '')}: on the LAN only the host's own LAN address is served (the DNS-rebinding defence; allowedHosts does not apply there). Open the URL of the QR code on the device.`;
  }
  return `LAN: refused ${from}: on the LAN only the host's own pages connect (their origin is the LAN address of the QR code's URL; allowedOrigins does not apply there). Open that URL on the device.`;
}

/**
 * Logs the WebView's `refused` events as warnings, one line per refused page, at most one line per
 * reason per {@link REFUSAL_LOG_INTERVAL_MS}: the rest of that interval are counted and summed up
 * in one line when it ends, so a page retrying in a loop cannot flood the terminal.
 * @returns a function that stops logging
 */
export function logRefusals(webView: WebView, log: DevLogger, hints: AdmitHints, interval = REFUSAL_LOG_INTERVAL_MS): () => void {
  const windows = new Map<string, { skipped: number; timer: NodeJS.Timeout }>();
  const listener = (info: RefusedConnection): void => {
    const key = info.reason === 'origin' && info.origin === 'null' ? 'origin null' : info.reason;
    const open = windows.get(key);
    if (open !== undefined) {
      open.skipped++;
      return;
    }
    log.warn(describeRefusal(info, webView, hints));
    const window = {
      skipped: 0,
      timer: setTimeout(() => {
        windows.delete(key);
        if (window.skipped > 0) log.warn(`refused ${window.skipped} more the same way (${key}) in the last ${interval / 1000} s`);
      }, interval),
    };
    window.timer.unref();
    windows.set(key, window);
  };
  webView.on('refused', listener);
  return () => {
    webView.off('refused', listener);
    for (const { timer } of windows.values()) clearTimeout(timer);
    windows.clear();
  };
}
