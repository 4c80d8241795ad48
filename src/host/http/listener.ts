import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebViewError } from '../errors.js';

export interface HttpHandlers {
  request(request: IncomingMessage, response: ServerResponse): void;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * A connection that sent no complete request within the handshake timeout (its first, or a
   * later one on a kept-alive connection that had started to arrive); it has been destroyed.
   */
  timeout?(socket: Socket): void;
}

/** Limits of the HTTP layer. */
export interface HttpLimits {
  /** Milliseconds from TCP accept, or from the end of the previous response, to complete request headers; 0 disables. */
  handshakeTimeout: number;
}

/** One port, served on one or two addresses by the same handlers. */
export interface HttpListener {
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK_V4 = '127.0.0.1';
const LOOPBACK_V6 = '::1';
/** How often a random port is tried again when only its IPv6 half turns out to be taken. */
const RANDOM_PORT_ATTEMPTS = 8;

/**
 * Listens on `port` (0 = any free one). With host `'loopback'` it binds 127.0.0.1 and, on the
 * same port, ::1 where the machine has IPv6, because browsers resolve `localhost` to either.
 * @throws {WebViewError} `PORT_IN_USE` or `LISTEN_FAILED`
 */
export async function listenHttp(port: number, host: string, handlers: HttpHandlers, limits: HttpLimits, tls?: HttpTls): Promise<HttpListener> {
  if (host !== 'loopback') {
    const server = await listenOne(port, host, handlers, limits, tls);
    return listener(addressPort(server), [server]);
  }
  for (let attempt = 1; ; attempt++) {
    const v4 = await listenOne(port, LOOPBACK_V4, handlers, limits);
    const bound = addressPort(v4);
    try {
      const v6 = await listenOne(bound, LOOPBACK_V6, handlers, limits);
      return listener(bound, [v4, v6]);
    } catch (error) {
      const code = (error as WebViewError).code === 'PORT_IN_USE' ? 'EADDRINUSE' : systemCode(error);
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return listener(bound, [v4]); // no IPv6 here
      await closeServer(v4);
      if (port !== 0 || attempt >= RANDOM_PORT_ATTEMPTS) throw error;
    }
  }
}

/** A certificate and its key (PEM): the listener serves HTTPS (the LAN's `https`). */
export interface HttpTls {
  readonly cert: string;
  readonly key: string;
}

function listenOne(port: number, host: string, handlers: HttpHandlers, limits: HttpLimits, tls?: HttpTls): Promise<Server> {
  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    requestStarted(request.socket);
    if (limits.handshakeTimeout > 0) response.once('close', () => responseDone(request.socket, limits.handshakeTimeout, handlers));
    handlers.request(request, response);
  };
  const server: Server = tls === undefined ? createServer(httpTimeouts(limits), serve) : createTlsServer({ ...httpTimeouts(limits), ...tlsTimeout(limits), cert: tls.cert, key: tls.key }, serve);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    requestStarted(request.socket);
    handlers.upgrade(request, socket, head);
  });
  // Over TLS the timer runs on the TLS socket, which is the one requests arrive on.
  const accepted = tls === undefined ? 'connection' : 'secureConnection';
  if (limits.handshakeTimeout > 0) server.on(accepted, (socket: Socket) => startHandshakeTimer(socket, limits.handshakeTimeout, handlers));
  if (tls !== undefined) server.on('tlsClientError', (_error: Error, socket: Duplex) => socket.destroy());
  server.on('clientError', answerClientError);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new WebViewError('PORT_IN_USE', `port ${port} is already in use on ${host}`, { cause: error })
          : new WebViewError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error }),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/**
 * Node's own header timeout, as a second line behind our timer (Node checks it only every
 * `connectionsCheckingInterval`, so it alone would let a stalled connection live up to 30 s longer).
 */
function httpTimeouts(limits: HttpLimits): ServerOptions {
  if (limits.handshakeTimeout === 0) return {};
  const headersTimeout = limits.handshakeTimeout;
  // Node refuses a headersTimeout above requestTimeout (default 300 s).
  return { headersTimeout, requestTimeout: Math.max(headersTimeout, DEFAULT_REQUEST_TIMEOUT_MS) };
}

/** A TLS handshake that has not finished within the handshake timeout is cut too (Node's default waits 120 s). */
function tlsTimeout(limits: HttpLimits): { handshakeTimeout?: number } {
  return limits.handshakeTimeout > 0 ? { handshakeTimeout: limits.handshakeTimeout } : {};
}

/** Node's default `requestTimeout`. */
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

/** Per connection: the running handshake timer, how many of its requests are being answered, and what it had read when the last one arrived. */
interface Handshake {
  timer: ReturnType<typeof setTimeout> | undefined;
  answering: number;
  /** `socket.bytesRead` at the last complete request; undefined before the first. */
  bytesAtLastRequest: number | undefined;
}

const handshakes = new WeakMap<Socket, Handshake>();

/**
 * Destroys `socket` unless a complete request (upgrade or HTTP) arrives within `timeout` ms of the
 * connection, and again of each answered request on a kept-alive connection: otherwise a client
 * could dribble its second request's headers for as long as Node's own checks allow (~30 s).
 */
function startHandshakeTimer(socket: Socket, timeout: number, handlers: HttpHandlers): void {
  let handshake = handshakes.get(socket);
  if (handshake === undefined) {
    const created: Handshake = { timer: undefined, answering: 0, bytesAtLastRequest: undefined };
    handshakes.set(socket, (handshake = created));
    socket.once('close', () => stopTimer(created));
  }
  stopTimer(handshake);
  const current = handshake;
  current.timer = setTimeout(() => {
    current.timer = undefined;
    socket.destroy();
    // An idle kept-alive connection is just closed; one that never completed a request, or started
    // another and stalled, is reported.
    const last = current.bytesAtLastRequest;
    if (last === undefined || socket.bytesRead > last) handlers.timeout?.(socket);
  }, timeout);
  current.timer.unref();
}

/** The connection sent a complete request: the handshake timer waits until it has been answered. */
function requestStarted(socket: Socket): void {
  const handshake = handshakes.get(socket);
  if (handshake === undefined) return;
  handshake.answering++;
  handshake.bytesAtLastRequest = socket.bytesRead;
  stopTimer(handshake);
}

/** A request of the connection was answered; when none is left, the next one must arrive in time. */
function responseDone(socket: Socket, timeout: number, handlers: HttpHandlers): void {
  const handshake = handshakes.get(socket);
  if (handshake === undefined) return;
  handshake.answering = Math.max(0, handshake.answering - 1);
  if (handshake.answering === 0 && !socket.destroyed) startHandshakeTimer(socket, timeout, handlers);
}

function stopTimer(handshake: Handshake): void {
  clearTimeout(handshake.timer);
  handshake.timer = undefined;
}

/** Request bytes Node's parser refused (a bad request line, oversized headers): a status and a close, never a throw. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (socket as Socket).bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const [status, text] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function listener(port: number, servers: Server[]): HttpListener {
  return { port, close: () => Promise.all(servers.map(closeServer)).then(() => undefined) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function addressPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new WebViewError('LISTEN_FAILED', 'server has no TCP address');
  return address.port;
}

function systemCode(error: unknown): string | undefined {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  return cause?.code;
}
