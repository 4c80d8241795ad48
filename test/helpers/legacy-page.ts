import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A browser client with HISE's `HiseWebSocketServer` API, and how a page loads it. */
export interface LegacyClient {
  name: string;
  /** The `<script src>` for a page; the host serves our drop-in, the page server serves HISE's file. */
  scriptUrl(hostPort: number, pageServerUrl: (path: string) => string): string;
  /** Files the page server must serve for this client. */
  files: Record<string, string>;
}

export const DROP_IN: LegacyClient = {
  name: 'our drop-in',
  scriptUrl: (hostPort) => `http://127.0.0.1:${hostPort}/hisewebsocket-min.js`,
  files: {},
};

const HISE_CLIENT_PATH = process.env.HISE_CLIENT_JS;
/** HISE's own client as it ships, from the file `HISE_CLIENT_JS` names (never copied into the project). */
export const HISE_STOCK: LegacyClient | undefined = HISE_CLIENT_PATH
  ? {
      name: "HISE's stock client",
      scriptUrl: (_port, url) => url('/hise-stock.js'),
      files: { '/hise-stock.js': readFileSync(resolve(HISE_CLIENT_PATH), 'utf8') },
    }
  : undefined;

export const HISE_STOCK_SKIP_REASON =
  'HISE_CLIENT_JS is not set: skipping tests against HISE\'s stock client (set it to ../shared/seed/hisewebsocket-min.js)';

/**
 * A page that loads `scriptUrl`, creates `new HiseWebSocketServer(port)` in `<head>` as HISE's
 * documentation does, and records every `(id, data)` in `window.received`.
 */
export function legacyPage(scriptUrl: string, port: number): string {
  return `<!doctype html>
<html><head><meta charset="utf-8">
<script src="${scriptUrl}"></script>
<script>
  window.received = [];
  window.server = new HiseWebSocketServer(${port});
  server.addEventListener(function (id, data) {
    received.push({
      id: id,
      kind: typeof data === 'string' ? 'string' : data.constructor.name,
      value: typeof data === 'string' ? data : Array.from(data),
    });
  });
</script></head><body>legacy page</body></html>`;
}

/** What `window.received` holds in a legacy page. */
export interface Received {
  id: string;
  kind: string;
  value: string | number[];
}
