import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SUBPROTOCOL } from '../../protocol/index.js';
import type { HostCore } from '../core.js';
import { WebViewError } from '../errors.js';
import { writeStatus } from '../http/guard.js';
import type { ParsedRequest } from '../http/request.js';
import { Connection } from './connection.js';
import { FrameRouter } from './frame-router.js';
import { CloseCode, Page } from './page.js';
import { RefusalCloser } from './refusal-close.js';
import { tabOf, Tabs } from './tabs.js';
import { checkUpgrade, type GatePolicy } from './upgrade-gate.js';

/**
 * The host's connections and pages: takes a WebSocket upgrade through the gate (Origin, token,
 * session, capacity), accepts it as a {@link Connection} of a {@link Page} (a browser tab), runs
 * every capability's `attach`/`detach`, routes its frames ({@link FrameRouter}), pings it
 * (heartbeat), and closes them all when the host closes.
 */
export class PageRegistry {
  readonly #core: HostCore;
  /** Refused upgrades that learn why: closed with a code and a reason (pages/refusal-close.ts). */
  readonly #refusals = new RefusalCloser();
  readonly #wss: WebSocketServer;
  /** Every open connection; a page (tab) has one or more. */
  readonly #connections = new Set<Connection>();
  readonly #tabs = new Tabs();
  #router: FrameRouter | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #nextPageId = 1;

  constructor(core: HostCore) {
    this.#core = core;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: core.options.maxPayload,
      perMessageDeflate: false, // audio does not compress, and deflate would cost every frame a copy
      handleProtocols: (offered) => (core.options.extensions && offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
  }

  /** The pages connected now: one per browser tab. */
  get pages(): Page[] {
    return this.#tabs.pages;
  }

  has(page: Page): boolean {
    return this.#tabs.has(page);
  }

  isOpen(connection: Connection): boolean {
    return this.#connections.has(connection);
  }

  /** Every open connection that takes data (anything but a bridge's own connection). */
  *dataConnections(): Iterable<Connection> {
    for (const connection of this.#connections) if (!connection.bridged) yield connection;
  }

  /** Whether a page that takes data is connected. */
  hasDataPages(): boolean {
    for (const connection of this.#connections) if (!connection.bridged) return true;
    return false;
  }

  /** The bridges' own connections: what direct communication (bindings, `callFunction`, `evaluate`, reload) addresses. */
  bridges(): Connection[] {
    return [...this.#connections].filter((connection) => connection.bridged);
  }

  /** A broadcast reaches pages whose client has not connected yet (their bridge has) when it does. */
  holdForWaiting(message: Parameters<Tabs['holdForWaiting']>[0]): void {
    this.#tabs.holdForWaiting(message);
  }

  /** A WebSocket upgrade the HTTP guard passed: refused (with the `refused` event) or accepted. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest, policy?: Pick<GatePolicy, 'allowedOrigins' | 'token'>): void {
    const core = this.#core;
    if (core.closed) {
      writeStatus(socket, 503);
      return;
    }
    const refusal = checkUpgrade(request, parsed.query, { ...core.options, token: core.token, ...policy });
    if (refusal !== undefined) {
      this.#refusals.refuse(request, socket, head, refusal.reason, core.options);
      if (refusal.reason !== 'fallback') core.emit('refused', { reason: refusal.reason, origin: request.headers.origin, remoteAddress: request.socket.remoteAddress });
      if (refusal.reason === 'session') core.report(new WebViewError('INVALID_SESSION', INVALID_SESSION_MESSAGE), undefined);
      return;
    }
    const tab = tabOf(parsed.query);
    if (!this.#tabs.admits(request, tab, core.options)) {
      this.#refusals.refuse(request, socket, head, 'capacity', core.options);
      core.emit('refused', { reason: 'capacity', origin: request.headers.origin, remoteAddress: request.socket.remoteAddress });
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request, parsed, tab));
  }

  #accept(socket: WebSocket, request: IncomingMessage, parsed: ParsedRequest, tab: string | undefined): void {
    const core = this.#core;
    const { highWaterMark, maxQueuedBytesPerPage, callTimeout, maxPendingCalls, streamWindow, maxStreamWindow, streamLatency, maxSubscriptionIds, maxPendingIds } = core.options;
    const { page, isNew } = this.#tabs.pageFor(request, tab, () => new Page(this.#nextPageId++, tab, request, parsed, maxPendingIds));
    if (isNew) page.instance = core.instances?.self;
    const limits = { highWaterMark, maxQueuedBytes: maxQueuedBytesPerPage, callTimeout, maxPendingCalls, streamWindow, maxStreamWindow, streamLatency, maxSubscriptionIds };
    const connection = new Connection(page, socket, request, parsed, limits, (slow) => this.#dropSlowPage(slow));
    // The bridge's own connection carries direct communication only, never the page's data.
    const first = !connection.bridged && !this.hasDataPages();
    this.#connections.add(connection);
    this.#tabs.add(connection);
    const router = (this.#router ??= new FrameRouter(core, core.capabilities));
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#contain(connection, () => router.receive(connection, data, isBinary)));
    socket.on('error', (error: Error & { code?: string }) => core.report(socketErrorToWebViewError(error), connection));
    socket.once('close', (code: number, reason: Buffer) => {
      this.#connections.delete(connection);
      const gone = this.#tabs.remove(connection);
      for (const capability of core.capabilities) capability.detach?.(connection);
      if (gone) core.emit('disconnect', page, code, reason.toString());
    });
    for (const capability of core.capabilities) capability.attach?.(connection, first);
    if (isNew) core.emit('connect', page);
    core.emit('connection', connection);
  }

  /**
   * Runs the handling of one page frame: whatever it throws (a bug of ours a page's input reached)
   * is reported as `FRAME_HANDLER_FAILED`, never thrown out of the socket's listener, which would
   * end the process.
   */
  #contain(from: Connection, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#core.report(new WebViewError('FRAME_HANDLER_FAILED', `handling a frame of page ${from.id} failed: ${String((error as Error)?.message ?? 'unknown error')}`, { cause: error }), from);
    }
  }

  /** Pings every connection each `heartbeatInterval`; one that did not answer the last ping is cut. */
  startHeartbeat(): void {
    const { heartbeatInterval } = this.#core.options;
    if (heartbeatInterval === 0) return;
    this.#heartbeat = setInterval(() => {
      for (const page of this.#connections) {
        if (!page.heartbeat()) this.#core.report(new WebViewError('PAGE_UNRESPONSIVE', `page ${page.id} did not answer a ping and was disconnected`), page);
      }
    }, heartbeatInterval);
    this.#heartbeat.unref();
  }

  #dropSlowPage(page: Connection): void {
    this.#core.report(
      new WebViewError('PAGE_TOO_SLOW', `page ${page.id} stopped reading with over ${this.#core.options.maxQueuedBytesPerPage} bytes of messages waiting; it was disconnected`),
      page,
    );
    page.terminate();
  }

  /** Sends close frames to every connection and waits up to `closeTimeout` for each. */
  async closeAll(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.all([...this.#connections].map((connection) => this.#close(connection)));
  }

  async #close(page: Connection): Promise<void> {
    const timer = setTimeout(() => page.terminate(), this.#core.options.closeTimeout);
    page.close(CloseCode.GOING_AWAY, 'host closing');
    await page.closed;
    clearTimeout(timer);
  }
}

const INVALID_SESSION_MESSAGE =
  'a connection offered a ?session= that is not 32 lowercase hex digits (128 random bits) and was refused with 400; is the page using an older client than this host?';

function socketErrorToWebViewError(error: Error & { code?: string }): WebViewError {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new WebViewError('MESSAGE_TOO_LARGE', `a page sent a message over maxPayload: ${error.message}`, { cause: error });
  }
  return new WebViewError('PAGE_PROTOCOL_ERROR', `a page broke the WebSocket protocol: ${error.message}`, { cause: error });
}
