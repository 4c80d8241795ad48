import type { IncomingMessage, ServerResponse } from 'node:http';
import { BRIDGE_SCRIPT_PATH } from '../protocol/index.js';
import { CLIENT_SCRIPTS, loadClientScript } from './client-script.js';
import { isOriginAllowed } from './origin-policy.js';
import type { ProjectImages } from './project-images.js';
import type { WebViewRoot } from './webview-root.js';

/** What the routes need from the host. */
export interface RouteContext {
  readonly root: WebViewRoot;
  readonly allowedOrigins: readonly string[];
  /** HISE's `{PROJECT_FOLDER}` image references, when a folder is set. */
  readonly projectImages?: ProjectImages;
  /** The config the bridge script starts from, as of this request. */
  bridgePrelude(): string;
}

/**
 * Everything the host answers over plain HTTP on its port: the bridge script (config + code), the
 * webview root, the built clients, else 404. Only GET and HEAD are served.
 */
export async function serveHttp(request: IncomingMessage, response: ServerResponse, context: RouteContext): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://host').pathname;
  const readOnly = request.method === 'GET' || request.method === 'HEAD';
  if (readOnly && path === BRIDGE_SCRIPT_PATH) {
    // The bridge carries the token: only pages of allowed origins may load it (a web site could
    // otherwise include it as a script and read the token).
    if (!isAllowedScriptRequest(request, context.allowedOrigins)) {
      respondText(response, 403, 'the bridge is served only to pages of allowed origins');
      return;
    }
    const bridge = await loadClientScript('hise-webview-bridge.js');
    const script = bridge === undefined ? undefined : Buffer.concat([Buffer.from(context.bridgePrelude()), bridge]);
    sendScript(request, response, script, 'hise-webview-bridge.js', false);
    return;
  }
  if (readOnly && (await context.projectImages?.serve(request, response, path))) return;
  if (readOnly && (await context.root.serve(request, response, path))) return;
  const file = CLIENT_SCRIPTS[path as keyof typeof CLIENT_SCRIPTS];
  if (readOnly && file !== undefined) {
    sendScript(request, response, await loadClientScript(file), file, true);
    return;
  }
  respondText(response, 404, 'not found');
}

function sendScript(request: IncomingMessage, response: ServerResponse, script: Buffer | undefined, file: string, anyOrigin: boolean): void {
  if (script === undefined) {
    respondText(response, 503, `${file} has not been built: run \`npm run build\``);
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Content-Length': script.byteLength,
    'Cache-Control': 'no-cache',
    // The clients hold no secret: a page on another port (a dev server) may import them as modules.
    ...(anyOrigin ? { 'Access-Control-Allow-Origin': '*' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : script);
}

/**
 * A script request from a page of an allowed origin (or from no page: a tool, a same-origin load).
 * Browsers say where a request comes from in `Sec-Fetch-Site`; a cross-site one must name an
 * allowed page in `Referer`.
 */
function isAllowedScriptRequest(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'same-site' || site === 'none') return true;
  const referer = request.headers.referer;
  if (referer === undefined) return false;
  try {
    return isOriginAllowed(new URL(referer).origin, allowedOrigins);
  } catch {
    return false;
  }
}

function respondText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
