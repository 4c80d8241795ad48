import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebViewError } from '../errors.js';
import type { ParsedRequest } from './request.js';

/** The path under which tools (the inspector) are served on the host's port; a webview root never gets it. */
export const TOOL_PREFIX = '/__hise-webview/';

/**
 * A tool the host serves on its own port under {@link TOOL_PREFIX} (see `WebView.mount`). It runs
 * behind the HTTP guard: the request parsed and its `Host` allowed (DNS rebinding). Everything else
 * (Origin, a token) is the tool's to check.
 */
export interface ToolRoute {
  /** Answers a plain HTTP request under the tool's path; may throw or reject (the guard answers 500). */
  request?(request: IncomingMessage, response: ServerResponse, parsed: ParsedRequest): Promise<void> | void;
  /** Handles a WebSocket upgrade under the tool's path (it must answer or destroy `socket`). */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest): void;
  /** Runs when the host closes, before its port is freed: close the tool's sockets. */
  close?(): Promise<void> | void;
}

/** The tools mounted on one host, by path prefix. */
export class ToolRoutes {
  readonly #routes = new Map<string, ToolRoute>();

  /**
   * Mounts `route` at `prefix` (a path under {@link TOOL_PREFIX} ending in `/`).
   * @returns the function that unmounts it
   * @throws {WebViewError} `INVALID_OPTION` for another prefix, or one already mounted
   */
  add(prefix: string, route: ToolRoute): () => void {
    if (typeof prefix !== 'string' || !prefix.startsWith(TOOL_PREFIX) || !prefix.endsWith('/') || prefix.includes('..')) {
      throw new WebViewError('INVALID_OPTION', `a tool's path must start with ${TOOL_PREFIX} and end with '/', got ${String(prefix)}`);
    }
    if (this.#routes.has(prefix)) throw new WebViewError('INVALID_OPTION', `a tool is already mounted at ${prefix}`);
    this.#routes.set(prefix, route);
    return () => {
      if (this.#routes.get(prefix) === route) this.#routes.delete(prefix);
    };
  }

  /** The tool whose prefix `pathname` is under (`/__hise-webview/x/` also answers `/__hise-webview/x`). */
  find(pathname: string): ToolRoute | undefined {
    if (!pathname.startsWith(TOOL_PREFIX)) return undefined;
    for (const [prefix, route] of this.#routes) if (pathname.startsWith(prefix) || pathname === prefix.slice(0, -1)) return route;
    return undefined;
  }

  /** Serves a request under a tool's path; `undefined` when no tool takes it. */
  request(request: IncomingMessage, response: ServerResponse, parsed: ParsedRequest): Promise<void> | undefined {
    const route = this.find(parsed.pathname);
    if (route?.request === undefined) return undefined;
    return (async () => route.request!(request, response, parsed))();
  }

  /** Hands an upgrade under a tool's path to it; false when no tool takes it. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest): boolean {
    const route = this.find(parsed.pathname);
    if (route?.upgrade === undefined) return false;
    route.upgrade(request, socket, head, parsed);
    return true;
  }

  /** Closes every tool (their failures do not stop the host closing). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#routes.values()].map(async (route) => route.close?.()));
  }
}
