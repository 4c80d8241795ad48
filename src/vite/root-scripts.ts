import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CLIENT_SCRIPTS, loadClientScript } from '../host/http/client-script.js';
import { FAVICON_PATH } from '../host/http/routes.js';

/** The request path of HISE's drop-in, which pages written the HISE way load as `hisewebsocket-min.js`. */
const DROP_IN_PATH = '/hisewebsocket-min.js';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * What the host answers at its root and a Vite root usually lacks, so a page behaves the same under
 * both: the drop-in `HiseWebSocketServer` at `/hisewebsocket-min.js` (a page written the HISE way
 * includes it by that name), and `204` for `/favicon.ico`. A file of the project's own (in Vite's
 * root or public folder) always wins.
 * @param folders Vite's root and public directory, where the project's own files would be
 * @param base Vite's `base` (public path), which prefixes the page's root in its URLs
 */
export function rootScripts(folders: () => string[], base: () => string = () => '/'): Middleware {
  return (request, response, next) => {
    const path = withoutBase(new URL(request.url ?? '/', 'http://vite').pathname, base());
    if ((request.method !== 'GET' && request.method !== 'HEAD') || (path !== DROP_IN_PATH && path !== FAVICON_PATH)) {
      next();
      return;
    }
    void answer(path, request, response, folders()).then((answered) => {
      if (!answered) next();
    }, next);
  };
}

/** The path within the site: `/app/favicon.ico` → `/favicon.ico` under `base: '/app/'`. */
function withoutBase(path: string, base: string): string {
  if (base === '/' || !base.startsWith('/')) return path;
  const prefix = base.endsWith('/') ? base.slice(0, -1) : base;
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

async function answer(path: string, request: IncomingMessage, response: ServerResponse, folders: string[]): Promise<boolean> {
  if (await existsIn(folders, path)) return false;
  if (path === FAVICON_PATH) {
    response.writeHead(204, { 'Cache-Control': 'max-age=3600' });
    response.end();
    return true;
  }
  const script = await loadClientScript(CLIENT_SCRIPTS[DROP_IN_PATH]);
  if (script === undefined) return false;
  response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': script.byteLength, 'Cache-Control': 'no-cache' });
  response.end(request.method === 'HEAD' ? undefined : script);
  return true;
}

async function existsIn(folders: string[], path: string): Promise<boolean> {
  for (const folder of folders) {
    const info = await stat(join(folder, path)).catch(() => undefined);
    if (info?.isFile()) return true;
  }
  return false;
}
