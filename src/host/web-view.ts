import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadClientScript } from './client-script.js';
import { WebViewError } from './errors.js';
import { listenHttp, type HttpListener } from './http-listener.js';
import { decodePageMessage } from './inbound.js';
import { resolveOptions, type ResolvedWebViewOptions, type WebViewOptions } from './options.js';
import { isOriginAllowed } from './origin-policy.js';
import { encodeOutbound, type OutboundFrame } from './outbound.js';
import { CloseCode, Page } from './page.js';
import { PendingMessages } from './pending-messages.js';

/** Where a message went: to the connected pages, held for the first page to connect, or dropped. */
export type SendResult = 'sent' | 'queued' | 'dropped';

/** The one receiver of page → host messages: a string, parsed JSON, or a `Float32Array`. */
export type WebSocketCallback = (data: unknown, page: Page) => unknown;

/** Why a connection was refused before the upgrade. */
export interface RefusedConnection {
  reason: 'origin';
  origin: string | undefined;
  remoteAddress: string | undefined;
}

export interface WebViewEvents {
  /** A page connected. */
  connect: [page: Page];
  /** A page went away; `code` and `reason` are from its close frame (1006 when it just vanished). */
  disconnect: [page: Page, code: number, reason: string];
  /**
   * Bad input from a page, a failing callback, a slow page. Never thrown: when nothing listens
   * for `error`, it is written to `console.warn` instead.
   */
  error: [error: WebViewError, page: Page | undefined];
  /** A connection was refused before the upgrade (HTTP 403). */
  refused: [info: RefusedConnection];
}

/** Highest index `addBufferToWebSocket` accepts (HISE's limit). */
export const MAX_BUFFER_INDEX = 255;
const CLIENT_SCRIPT_PATH = '/hisewebsocket-min.js';

/**
 * A webview host with HISE's ScriptWebView API: a WebSocket server on loopback that speaks HISE's
 * binary format to every connected page, byte for byte.
 */
export class WebView extends EventEmitter<WebViewEvents> {
  readonly options: Readonly<ResolvedWebViewOptions>;
  readonly #wss: WebSocketServer;
  readonly #pages = new Set<Page>();
  readonly #pending: PendingMessages<OutboundFrame>;
  readonly #buffers = new Map<number, Float32Array>();
  #listening: Promise<number> | undefined;
  #listener: HttpListener | undefined;
  #callback: WebSocketCallback | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #nextPageId = 1;
  #closed = false;

  /** @throws {WebViewError} `INVALID_OPTION` */
  constructor(options: WebViewOptions = {}) {
    super();
    this.options = Object.freeze(resolveOptions(options));
    this.#pending = new PendingMessages(this.options.maxPendingIds);
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.options.maxPayload,
      perMessageDeflate: false, // audio does not compress, and deflate would cost every frame a copy
    });
  }

  /**
   * Starts the server. `0` or `-1` picks a free port. Called again, resolves the port of the first call.
   * @returns the bound port
   * @throws {WebViewError} `INVALID_PORT`, `PORT_IN_USE`, `LISTEN_FAILED`, `CLOSED` (as rejections)
   */
  setEnableWebSocket(port = 0): Promise<number> {
    if (this.#closed) return Promise.reject(new WebViewError('CLOSED', 'this WebView has been closed'));
    if (!Number.isInteger(port) || port < -1 || port > 65535) {
      return Promise.reject(new WebViewError('INVALID_PORT', `port must be an integer from -1 to 65535, got ${String(port)}`));
    }
    this.#listening ??= this.#listen(port === -1 ? 0 : port);
    return this.#listening;
  }

  /** The bound port once `setEnableWebSocket` has resolved. */
  get port(): number | undefined {
    return this.#listener?.port;
  }

  /** The pages connected now. */
  get pages(): readonly Page[] {
    return [...this.#pages];
  }

  /**
   * Sends `data` under `id` to every connected page: a string as type 1, a `Float32Array` as type 2
   * (copied now), a plain object or array as JSON text. With no page connected, the latest message
   * per id is held for the first page that connects.
   * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `CLOSED`
   */
  sendToWebsocket(id: string, data: string | Float32Array | object): SendResult {
    this.#assertOpen();
    return this.#broadcast(encodeOutbound(id, data));
  }

  /** The same as {@link sendToWebsocket}; HISE accepts both spellings. */
  sendToWebSocket(id: string, data: string | Float32Array | object): SendResult {
    return this.sendToWebsocket(id, data);
  }

  /**
   * Sets the one receiver of page messages (replacing any earlier one; `undefined` removes it).
   * @throws {WebViewError} `NOT_ENABLED` before `setEnableWebSocket`, as in HISE
   */
  setWebSocketCallback(callback: WebSocketCallback | undefined): void {
    if (this.#listening === undefined) {
      throw new WebViewError('NOT_ENABLED', 'call setEnableWebSocket before setWebSocketCallback');
    }
    if (callback !== undefined && typeof callback !== 'function') {
      throw new WebViewError('INVALID_OPTION', 'the WebSocket callback must be a function');
    }
    this.#callback = callback;
  }

  /**
   * Registers `buffer` under the id `String(index)`; {@link updateBuffer} sends its contents.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX`, `UNSUPPORTED_DATA`
   */
  addBufferToWebSocket(index: number, buffer: Float32Array): void {
    checkBufferIndex(index);
    if (!(buffer instanceof Float32Array)) {
      throw new WebViewError('UNSUPPORTED_DATA', 'addBufferToWebSocket needs a Float32Array');
    }
    this.#buffers.set(index, buffer);
  }

  /**
   * Sends the registered buffer's contents, as they are now, to every connected page.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX` when nothing is registered at `index`
   */
  updateBuffer(index: number): SendResult {
    checkBufferIndex(index);
    const buffer = this.#buffers.get(index);
    if (buffer === undefined) throw new WebViewError('INVALID_BUFFER_INDEX', `no buffer is registered at index ${index}`);
    return this.sendToWebsocket(String(index), buffer);
  }

  /** Sends close frames to every page, waits up to `closeTimeout` for them, and frees the port. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    await this.#listening?.catch(() => undefined);
    await Promise.all([...this.#pages].map((page) => this.#closePage(page)));
    await this.#listener?.close();
    this.#pending.clear();
  }

  async #listen(port: number): Promise<number> {
    this.#listener = await listenHttp(port, this.options.host, {
      request: (request, response) => void this.#handleRequest(request, response),
      upgrade: (request, socket, head) => this.#handleUpgrade(request, socket, head),
    });
    if (this.#closed) {
      await this.#listener.close();
      throw new WebViewError('CLOSED', 'this WebView was closed while starting');
    }
    this.#startHeartbeat();
    return this.#listener.port;
  }

  async #handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    if (path === CLIENT_SCRIPT_PATH && (request.method === 'GET' || request.method === 'HEAD')) {
      const script = await loadClientScript();
      if (script !== undefined) {
        response.writeHead(200, {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Content-Length': script.byteLength,
          'Cache-Control': 'no-cache',
        });
        response.end(request.method === 'HEAD' ? undefined : script);
        return;
      }
      respondText(response, 503, 'hisewebsocket-min.js has not been built: run `npm run build`');
      return;
    }
    respondText(response, 404, 'not found');
  }

  #handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignore); // a peer that resets mid-handshake must not crash the host
    const origin = request.headers.origin;
    if (this.#closed || !isOriginAllowed(origin, this.options.allowedOrigins)) {
      const status = this.#closed ? 503 : 403;
      socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      if (!this.#closed) this.emit('refused', { reason: 'origin', origin, remoteAddress: request.socket.remoteAddress });
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request));
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const page = new Page(
      this.#nextPageId++,
      socket,
      request,
      { highWaterMark: this.options.highWaterMark, maxQueuedBytes: this.options.maxQueuedBytesPerPage },
      (slow) => this.#dropSlowPage(slow),
    );
    const isFirst = this.#pages.size === 0;
    this.#pages.add(page);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#receive(page, data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => this.#report(socketErrorToWebViewError(error), page));
    socket.once('close', (code: number, reason: Buffer) => {
      this.#pages.delete(page);
      this.emit('disconnect', page, code, reason.toString());
    });
    if (isFirst) for (const frame of this.#pending.take()) page.deliver(frame);
    this.emit('connect', page);
  }

  #receive(page: Page, data: Buffer, isBinary: boolean): void {
    let message: unknown;
    try {
      message = decodePageMessage(data, isBinary);
    } catch (error) {
      this.#report(error as WebViewError, page);
      return;
    }
    const callback = this.#callback;
    if (callback === undefined) return;
    try {
      const result = callback(message, page);
      if (result instanceof Promise) result.catch((error: unknown) => this.#reportCallbackFailure(error, page));
    } catch (error) {
      this.#reportCallbackFailure(error, page);
    }
  }

  #broadcast(frame: OutboundFrame): SendResult {
    if (this.#pages.size === 0) {
      if (this.#pending.hold(frame.id, frame)) return 'queued';
      this.#report(
        new WebViewError('PENDING_QUEUE_FULL', `no page is connected and ${this.options.maxPendingIds} ids are held: '${frame.id}' was dropped`),
        undefined,
      );
      return 'dropped';
    }
    for (const page of this.#pages) page.deliver(frame);
    return 'sent';
  }

  #startHeartbeat(): void {
    if (this.options.heartbeatInterval === 0) return;
    this.#heartbeat = setInterval(() => {
      for (const page of this.#pages) {
        if (!page.heartbeat()) {
          this.#report(new WebViewError('PAGE_UNRESPONSIVE', `page ${page.id} did not answer a ping and was disconnected`), page);
        }
      }
    }, this.options.heartbeatInterval);
    this.#heartbeat.unref();
  }

  #dropSlowPage(page: Page): void {
    this.#report(
      new WebViewError('PAGE_TOO_SLOW', `page ${page.id} stopped reading with over ${this.options.maxQueuedBytesPerPage} bytes of messages waiting; it was disconnected`),
      page,
    );
    page.terminate();
  }

  async #closePage(page: Page): Promise<void> {
    const timer = setTimeout(() => page.terminate(), this.options.closeTimeout);
    page.close(CloseCode.GOING_AWAY, 'host closing');
    await page.closed;
    clearTimeout(timer);
  }

  #reportCallbackFailure(error: unknown, page: Page): void {
    this.#report(new WebViewError('CALLBACK_FAILED', `the WebSocket callback failed: ${String((error as Error)?.message ?? error)}`, { cause: error }), page);
  }

  #report(error: WebViewError, page: Page | undefined): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, page);
    else console.warn(`[hise-webview] ${error.code}: ${error.message}`);
  }

  #assertOpen(): void {
    if (this.#closed) throw new WebViewError('CLOSED', 'this WebView has been closed');
  }
}

function checkBufferIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_BUFFER_INDEX) {
    throw new WebViewError('INVALID_BUFFER_INDEX', `buffer index must be an integer from 0 to ${MAX_BUFFER_INDEX}, got ${String(index)}`);
  }
}

function socketErrorToWebViewError(error: Error & { code?: string }): WebViewError {
  if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    return new WebViewError('MESSAGE_TOO_LARGE', `a page sent a message over maxPayload: ${error.message}`, { cause: error });
  }
  return new WebViewError('PAGE_PROTOCOL_ERROR', `a page broke the WebSocket protocol: ${error.message}`, { cause: error });
}

function respondText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function ignore(): void {}
