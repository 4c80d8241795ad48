import { readFile } from 'node:fs/promises';

/** The browser scripts the host serves from dist/, by request path. */
export const CLIENT_SCRIPTS = {
  /** The drop-in `HiseWebSocketServer` as a classic script. */
  '/hisewebsocket-min.js': 'hisewebsocket-min.js',
  /** The modern client as one ES module (`import { connect } from 'http://localhost:PORT/hise-webview-client.js'`). */
  '/hise-webview-client.js': 'hise-webview-client.js',
  /** The worker client (`connectWorker`) as one ES module, and the module worker it starts beside itself. */
  '/hise-webview-worker-client.js': 'hise-webview-worker-client.js',
  '/hise-webview-worker.js': 'hise-webview-worker.js',
} as const;

const cache = new Map<string, Promise<Buffer | undefined>>();

/** The bytes of a built script of dist/ (the clients, the bridge, the inspector's page), read once; `undefined` when the package has not been built. */
export function loadClientScript(file: string): Promise<Buffer | undefined> {
  let bytes = cache.get(file);
  if (bytes === undefined) {
    bytes = find(file);
    cache.set(file, bytes);
  }
  return bytes;
}

/** Looked up beside the compiled host first (dist/host/http → dist/), then in the package's dist/ (running from src/). */
async function find(file: string): Promise<Buffer | undefined> {
  for (const candidate of [new URL(`../../${file}`, import.meta.url), new URL(`../../../dist/${file}`, import.meta.url)]) {
    try {
      return await readFile(candidate);
    } catch {
      // try the next place
    }
  }
  cache.delete(file); // a later build may still provide it
  return undefined;
}
