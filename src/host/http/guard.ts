import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebViewError } from '../errors.js';
import { HttpFailure } from './failure.js';
import { parseRequest, type ParsedRequest } from './request.js';
import { isHostAllowed, type AllowedHosts, type HostHeader } from './host-policy.js';
import { frameAncestors } from './origin-policy.js';

/** What the guard needs of the host. */
export interface GuardContext {
  readonly allowedHosts: AllowedHosts;
  readonly allowedOrigins: readonly string[];
  /** Sends COOP/COEP with every answer (the `crossOriginIsolation` option). */
  readonly crossOriginIsolation?: boolean;
  /** Bad requests and the host's own failures, as coded errors. Must not throw. */
  report(error: WebViewError): void;
  /** A request or upgrade naming a `Host` that is not allowed (answered 403). */
  refusedHost(request: IncomingMessage): void;
  /** With a shared port: the port the host's pages also reach it through (the hub pipes them here), accepted in `Host` too. */
  sharedPort?(): number | undefined;
}

/** Serves one parsed request whose `Host` passed; may throw or reject (the guard answers 500). */
export type Route = (request: IncomingMessage, response: ServerResponse, parsed: ParsedRequest) => Promise<void> | void;
/** Handles one parsed upgrade whose `Host` passed. */
export type UpgradeRoute = (request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest) => void;

/**
 * The one place every HTTP request and upgrade goes through before the host looks at it: parses
 * the target and `Host` (400 when they do not parse), refuses a `Host` that is not this machine
 * or an allowed host (403, DNS rebinding), sets the headers every answer carries, and turns
 * anything that throws or rejects behind it into an answer (500) and a coded `error`. Nothing a
 * request contains can throw out of it.
 */
export class HttpGuard {
  readonly #context: GuardContext;
  readonly #frameAncestors: string;

  constructor(context: GuardContext) {
    this.#context = context;
    this.#frameAncestors = `frame-ancestors ${frameAncestors(context.allowedOrigins).join(' ')}`;
  }

  /** Handles a request; never throws, and the work it starts never rejects. */
  request(request: IncomingMessage, response: ServerResponse, route: Route): void {
    void this.#request(request, response, route);
  }

  /** Handles an upgrade; never throws. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, route: UpgradeRoute): void {
    socket.on('error', ignore); // a peer that resets mid-handshake must not crash the host
    let parsed: ParsedRequest;
    try {
      parsed = parseRequest(request);
    } catch (error) {
      this.#failUpgrade(socket, error);
      return;
    }
    if (!this.#hostAllowed(request, parsed)) {
      writeStatus(socket, 403);
      this.#refuse(request);
      return;
    }
    try {
      route(request, socket, head, parsed);
    } catch (error) {
      this.#failUpgrade(socket, error);
    }
  }

  async #request(request: IncomingMessage, response: ServerResponse, route: Route): Promise<void> {
    try {
      response.setHeader('X-Content-Type-Options', 'nosniff');
      // A foreign site must not frame the webview (clickjacking its controls); loopback pages may.
      response.setHeader('Content-Security-Policy', this.#frameAncestors);
      if (this.#context.crossOriginIsolation) {
        response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      const parsed = parseRequest(request);
      if (!this.#hostAllowed(request, parsed)) {
        respondText(response, 403, 'this host name is not allowed (see the allowedHosts option)');
        this.#refuse(request);
        return;
      }
      await route(request, response, parsed);
    } catch (error) {
      this.#failRequest(response, error);
    }
  }

  #hostAllowed(request: IncomingMessage, parsed: ParsedRequest): boolean {
    const port = request.socket.localPort ?? 0;
    const shared = this.#context.sharedPort?.();
    const allowed = (host: HostHeader | undefined): boolean =>
      host === undefined || isHostAllowed(host, port, this.#context.allowedHosts) || (shared !== undefined && isHostAllowed(host, shared, this.#context.allowedHosts));
    return allowed(parsed.host) && allowed(parsed.targetHost);
  }

  #refuse(request: IncomingMessage): void {
    try {
      this.#context.refusedHost(request);
    } catch (error) {
      console.error('[hise-webview] reporting a refused host failed:', error);
    }
  }

  #failRequest(response: ServerResponse, error: unknown): void {
    const failure = asFailure(error);
    try {
      if (response.headersSent) response.destroy();
      else {
        for (const [name, value] of Object.entries(failure.headers)) response.setHeader(name, value);
        respondText(response, failure.status, failure.status === 500 ? 'the host failed to serve this request' : failure.message);
      }
    } catch {
      response.destroy();
    }
    this.#report(failure);
  }

  #failUpgrade(socket: Duplex, error: unknown): void {
    const failure = asFailure(error);
    // A failure before the answer gets its status; behind it (ws may have answered 101) only a close is safe.
    if (error instanceof HttpFailure) writeStatus(socket, failure.status);
    else socket.destroy();
    this.#report(failure);
  }

  #report(failure: HttpFailure): void {
    try {
      this.#context.report(new WebViewError(failure.code, failure.message, { cause: failure.cause }));
    } catch (error) {
      console.error('[hise-webview] reporting a failed request failed:', error);
    }
  }
}

/** A failure the guard knows how to answer; anything else is the host's own bug (500). */
function asFailure(error: unknown): HttpFailure {
  if (error instanceof HttpFailure) return error;
  const failure = new HttpFailure(500, 'HTTP_HANDLER_FAILED', `serving a request failed: ${String((error as Error)?.message ?? error)}`);
  failure.cause = error;
  return failure;
}

/** The reason phrases of every status the host writes straight to a socket. */
const STATUS_TEXT = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  416: 'Range Not Satisfiable',
  426: 'Upgrade Required',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

/** An HTTP answer written straight to a socket that has not been upgraded (no body). */
export function writeStatus(socket: Duplex, status: keyof typeof STATUS_TEXT): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A short plain-text answer. */
export function respondText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function ignore(): void {}
