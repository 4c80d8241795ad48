import type { IncomingMessage, ServerResponse } from 'node:http';
import { BRIDGE_SCRIPT_PATH } from '../../protocol/index.js';
import { CLIENT_SCRIPTS, loadClientScript } from './client-script.js';
import { respondText } from './guard.js';
import type { ParsedRequest } from './request.js';
import { isOriginAllowed } from './origin-policy.js';
import type { ProjectImages } from './project-images.js';
import type { WebViewRoot } from './webview-root.js';

/** What browsers request for every page; answered `204 No Content` when the root has no such file. */
export const FAVICON_PATH = '/favicon.ico';

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
 * webview root, the built clients, else 404. Only GET and HEAD are served. Runs behind the
 * HTTP guard, which parsed the request, checked its `Host` and answers whatever this throws.
 */
export async function serveHttp(request: IncomingMessage, response: ServerResponse, parsed: ParsedRequest, context: RouteContext): Promise<void> {
  const path = parsed.pathname;
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
  if (readOnly && path === FAVICON_PATH) {
    // Browsers ask every page for one; a root without its own gets "none" instead of a 404 in the console.
    response.writeHead(204, { 'Cache-Control': 'max-age=3600' });
    response.end();
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
 * A script request from a page of an allowed origin (or from a tool that says it is none).
 * Browsers say where a request comes from in `Sec-Fetch-Site`, which no page can forge; a
 * cross-site one must name an allowed page in `Referer`. Without `Sec-Fetch-Site` (browsers before
 * 2023, tools) a `Referer` of an allowed page is required too: an old browser on a web site that
 * hides its `Referer` would otherwise be handed the token.
 */
function isAllowedScriptRequest(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin' || site === 'same-site' || site === 'none') return true;
  const referer = request.headers.referer;
  if (referer === undefined) return false;
  try {
    return isOriginAllowed(new URL(referer).origin, allowedOrigins);
  } catch {
    return false;
  }
}

