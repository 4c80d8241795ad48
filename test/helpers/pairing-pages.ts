import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HISE_CLIENT_JS, HISE_CLIENT_SKIP_REASON, hiseTitle } from './hise-client.js';

/**
 * One client-and-host pairing of the behaviour suite. Every pairing's page exposes the same
 * harness: `window.received` (every `(id, data)` it got) and `sendText`, `sendJson`, `sendFloats`.
 */
export interface Pairing {
  name: string;
  /** Options for the host (e.g. a host that ignores subprotocols, as HISE does). */
  hostOptions: { extensions?: boolean };
  /** Whether the connection ends up with the `hise-webview.1` extension. */
  extended: boolean;
  /**
   * The modern client's first attempt against a host that ignores subprotocols is a handshake the
   * browser then fails; the host (HISE too) counts it as a page and flushes its held messages into
   * it. Such a pairing cannot promise the pre-connect flush.
   */
  fallsBack: boolean;
  /** Extra files the page server serves for this pairing. */
  files: Record<string, string>;
  /** The page, given the host's port and the page server's URL maker. */
  page(port: number, url: (path: string) => string): string;
  /** Why this pairing cannot run here (its tests are skipped with it), or undefined. */
  skip?: string;
}

/** What `window.received` holds. */
export interface Received {
  id: string;
  kind: string;
  value: unknown;
}

const RECORD = `
  window.received = [];
  window.layouts = [];
  window.record = function (id, data) {
    var kind = typeof data === 'string' ? 'string' : data === null || typeof data !== 'object' ? typeof data : data.constructor.name;
    window.received.push({ id: id, kind: kind, value: ArrayBuffer.isView(data) ? Array.from(data) : data });
    if (ArrayBuffer.isView(data)) {
      window.layouts.push({ id: id, byteOffset: data.byteOffset, byteLength: data.byteLength, bufferBytes: data.buffer.byteLength });
      window.lastView = data;
    }
  };`;

/** Where a received array sat in its buffer (\`window.layouts\`). */
export interface Layout {
  id: string;
  byteOffset: number;
  byteLength: number;
  bufferBytes: number;
}

/** A page using HISE's API, as HISE's documentation shows it: `new HiseWebSocketServer(port)` in `<head>`. */
function legacyPage(scriptUrl: string, port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<script src="${scriptUrl}"></script>
<script>${RECORD}
  window.server = new HiseWebSocketServer(${port});
  server.addEventListener(record);
  window.sendText = function (s) { server.send(s); };
  window.sendJson = function (o) { server.send(JSON.stringify(o)); };
  window.sendFloats = function (a) { server.send(new Float32Array(a)); };
</script></head><body>legacy page</body></html>`;
}

/** A page using the modern client, imported as an ES module from the host. */
export function modernPage(port: number, connectOptions = '{}'): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<script>${RECORD}</script>
<script type="module">
  import { connect } from 'http://127.0.0.1:${port}/hise-webview-client.js';
  const client = connect(Object.assign({ port: ${port}, minReconnectDelay: 50, maxReconnectDelay: 200 }, ${connectOptions}));
  client.onAny(record);
  window.client = client;
  window.opened = client.ready;
  window.sendText = (s) => client.send('text', s);
  window.sendJson = (o) => client.send('json', o);
  window.sendFloats = (a) => client.send('floats', new Float32Array(a));
</script></head><body>modern page</body></html>`;
}


/** Every pairing this machine can run. HISE's own client comes from the file `HISE_CLIENT_JS` names (never copied). */
export function pairings(): Pairing[] {
  const list: Pairing[] = [
    { name: 'modern client ↔ host', hostOptions: {}, extended: true, fallsBack: false, files: {}, page: (port) => modernPage(port) },
    {
      name: 'drop-in ↔ host',
      hostOptions: {},
      extended: false,
      fallsBack: false,
      files: {},
      page: (port) => legacyPage(`http://127.0.0.1:${port}/hisewebsocket-min.js`, port),
    },
    {
      name: 'modern client ↔ host ignoring subprotocols (falls back)',
      hostOptions: { extensions: false },
      extended: false,
      fallsBack: true,
      files: {},
      page: (port) => modernPage(port),
    },
  ];
  list.push({
    name: hiseTitle("HISE's stock client ↔ host"),
    hostOptions: {},
    extended: false,
    fallsBack: false,
    files: HISE_CLIENT_JS ? { '/hise-stock.js': readFileSync(resolve(HISE_CLIENT_JS), 'utf8') } : {},
    page: (port, url) => legacyPage(url('/hise-stock.js'), port),
    ...(HISE_CLIENT_JS ? {} : { skip: HISE_CLIENT_SKIP_REASON }),
  });
  return list;
}
