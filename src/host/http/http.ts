import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Capability } from '../capability.js';
import type { HostCore } from '../core.js';
import type { Direct } from '../direct/direct.js';
import { WebViewError } from '../errors.js';
import type { PageRegistry } from '../pages/registry.js';
import type { Lan } from '../lan/lan.js';
import type { SharedPortLink } from '../shared-port/web-view-link.js';
import { HttpGuard } from './guard.js';
import { listenHttp, type HttpHandlers, type HttpListener } from './listener.js';
import { ProjectImages } from './project-images.js';
import { serveHttp } from './routes.js';
import { ToolRoutes, type ToolRoute } from './tool-routes.js';
import { WebViewRoot } from './webview-root.js';

/**
 * The host's port: listens (privately, with a shared port), puts every request and upgrade through
 * the guard, serves the webview root with the bridge injected, the bridge script, the clients,
 * HISE's `{PROJECT_FOLDER}` images and mounted tools, and hands WebSocket upgrades to the pages.
 */
export class Http implements Capability {
  readonly #core: HostCore;
  readonly #pages: PageRegistry;
  readonly #direct: Direct;
  readonly #sharing: SharedPortLink | undefined;
  readonly root = new WebViewRoot();
  readonly projectImages = new ProjectImages(() => this.#cache);
  readonly #tools = new ToolRoutes();
  #cache = false;
  #guard: HttpGuard | undefined;
  #listener: HttpListener | undefined;
  /** HISE-strict mode: the port pages are served on, apart from the socket's (HISE's page is not on `http://localhost:PORT`). */
  #pageListener: HttpListener | undefined;

  readonly #lan: Lan | undefined;

  constructor(core: HostCore, pages: PageRegistry, direct: Direct, sharing: SharedPortLink | undefined, lan?: Lan) {
    this.#core = core;
    this.#pages = pages;
    this.#direct = direct;
    this.#sharing = sharing;
    this.#lan = lan;
  }

  /**
   * The handlers behind the LAN's gate (lan/): the same root, images and clients, never the mounted
   * tools; the bridge without the token and told to dial the page's own origin; an upgrade admitted
   * by the exact LAN `origin` the gate checked (the gate has checked `Host` with its port, and the device).
   */
  lanHandlers(port: number): { request: (request: IncomingMessage, response: ServerResponse) => void; upgrade: (request: IncomingMessage, socket: Duplex, head: Buffer, origin: string) => void } {
    const guard = new HttpGuard({
      ...this.#core.options,
      allowedHosts: true,
      report: (error) => this.#core.report(error, undefined),
      refusedHost: () => undefined,
    });
    const routes = { root: this.root, projectImages: this.projectImages, allowedOrigins: [], bridgePrelude: () => this.#direct.bridgePrelude(port, true) };
    return {
      request: (request, response) => guard.request(request, response, (...parsed) => serveHttp(...parsed, routes)),
      upgrade: (request, socket, head, origin) =>
        guard.upgrade(request, socket, head, (...parsed) => this.#pages.upgrade(...parsed, { allowedOrigins: [origin], token: undefined })),
    };
  }

  /**
   * Starts listening on `port` once (`-1` and `0` pick a free port); again, the first call's port.
   * @throws {WebViewError} `INVALID_PORT`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED` (as rejections)
   */
  start(port: number): Promise<number> {
    if (this.#core.closed) return Promise.reject(new WebViewError('CLOSED', 'this WebView has been closed'));
    if (!Number.isInteger(port) || port < -1 || port > 65535) {
      return Promise.reject(new WebViewError('INVALID_PORT', `port must be an integer from -1 to 65535, got ${String(port)}`));
    }
    return (this.#core.started ??= this.#listen(port === -1 ? 0 : port));
  }

  /** The port pages reach: the shared one when shared, else the host's own. */
  get port(): number | undefined {
    return this.#core.shared?.port ?? this.#listener?.port;
  }

  /** The host's own listener's port, which serves its pages (when shared, their sockets go to the shared port). */
  get ownPort(): number | undefined {
    return this.#listener?.port;
  }

  /** The port the host's pages are served on: its own, or with `hise: 'strict'` one of their own. */
  get pagePort(): number | undefined {
    return this.#pageListener?.port ?? this.ownPort;
  }

  /** HISE's `enableCache`: false serves the root with `Cache-Control: no-store`. */
  get cache(): boolean {
    return this.#cache;
  }
  set cache(enabled: boolean) {
    this.#cache = enabled;
    this.root.cache = enabled;
  }

  /** @throws {WebViewError} `INVALID_OPTION` */
  mount(prefix: string, route: ToolRoute): () => void {
    if (this.#core.registrations.stale) return () => undefined;
    const unmount = this.#tools.add(prefix, route);
    this.#core.registrations.own(unmount);
    return unmount;
  }

  /** An upgrade that arrived on another server, through this host's guard and gate. */
  acceptUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#httpGuard().upgrade(request, socket, head, (...parsed) => this.#pages.upgrade(...parsed));
  }

  /** @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection) */
  async setIndexFile(path: string): Promise<void> {
    await notFoundAs(`cannot serve ${path}`, this.root.setIndexFile(path));
  }

  /** @throws {WebViewError} `ROOT_NOT_FOUND` (as a rejection) when `folder` is not an existing folder */
  async setProjectImagesFolder(folder: string | undefined): Promise<void> {
    await notFoundAs(`cannot serve project images from ${String(folder)}`, this.projectImages.setFolder(folder));
  }

  /** Closes the port: the shared port first (the others take it over while the pages close), the pages, the tools, the listener. */
  async dispose(): Promise<void> {
    await this.#core.started?.catch(() => undefined);
    const sharedClosed = this.#core.shared?.close();
    await this.#pages.closeAll();
    await sharedClosed;
    await this.#tools.close();
    await this.#listener?.close();
    await this.#pageListener?.close();
  }

  #httpGuard(): HttpGuard {
    return (this.#guard ??= new HttpGuard({
      ...this.#core.options,
      sharedPort: () => this.#core.shared?.port,
      report: (error) => this.#core.report(error, undefined),
      refusedHost: (request) =>
        this.#core.emit('refused', { reason: 'host', origin: request.headers.origin, remoteAddress: request.socket.remoteAddress, host: request.headers.host }),
    }));
  }

  async #listen(port: number): Promise<number> {
    const core = this.#core;
    const guard = this.#httpGuard();
    const routes = { root: this.root, projectImages: this.projectImages, allowedOrigins: core.options.allowedOrigins, bridgePrelude: () => this.#direct.bridgePrelude(this.port!) };
    const handlers: HttpHandlers = {
      request: (request, response) => guard.request(request, response, (...parsed) => this.#tools.request(...parsed) ?? serveHttp(...parsed, routes)),
      upgrade: (request, socket, head) => guard.upgrade(request, socket, head, (...parsed) => this.#tools.upgrade(...parsed) || this.#pages.upgrade(...parsed)),
      timeout: (socket) => core.emit('refused', { reason: 'timeout', origin: undefined, remoteAddress: socket.remoteAddress }),
    };
    const limits = { handshakeTimeout: core.options.handshakeTimeout };
    // Shared: the WebView serves on a private port; the shared port is the hub's (see shared-port/).
    const listener = (this.#listener = await listenHttp(this.#sharing === undefined ? port : 0, core.options.host, handlers, limits));
    if (this.#sharing !== undefined && !core.closed) {
      try {
        await this.#sharing.start(port, { handlers, limits, privatePort: listener.port, guardUpgrade: (...args) => guard.upgrade(...args) });
      } catch (error) {
        await listener.close();
        throw error;
      }
    }
    if (core.hise !== undefined && !core.closed) {
      // Pages and tools are served here; a socket to this port (relative, or built from `location.port`) is refused, as it goes nowhere in HISE.
      const hise = core.hise;
      const pageHandlers: HttpHandlers = { ...handlers, upgrade: (request, socket, head) => guard.upgrade(request, socket, head, (...parsed) => this.#tools.upgrade(...parsed) || hise.refusePageSocket(socket, this.port!)) };
      this.#pageListener = await listenHttp(0, core.options.host, pageHandlers, limits);
    }
    if (core.closed) {
      await this.#pageListener?.close();
      await core.shared?.close();
      await listener.close();
      throw new WebViewError('CLOSED', 'this WebView was closed while starting');
    }
    try {
      await this.#lan?.start(listener.port, (lanPort) => this.lanHandlers(lanPort));
    } catch (error) {
      await listener.close();
      throw error;
    }
    this.#pages.startHeartbeat();
    return this.port!;
  }
}

/** `ROOT_NOT_FOUND` for a root or folder that cannot be served. */
async function notFoundAs(what: string, setting: Promise<void>): Promise<void> {
  try {
    await setting;
  } catch (error) {
    throw new WebViewError('ROOT_NOT_FOUND', `${what}: ${(error as Error).message}`, { cause: error });
  }
}
