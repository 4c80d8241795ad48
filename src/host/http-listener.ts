import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebViewError } from './errors.js';

export interface HttpHandlers {
  request(request: IncomingMessage, response: ServerResponse): void;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** A connection that sent no complete request within the handshake timeout; it has been destroyed. */
  timeout?(socket: Socket): void;
}

/** Limits of the HTTP layer. */
export interface HttpLimits {
  /** Milliseconds from TCP accept to complete request headers; 0 disables. */
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
export async function listenHttp(port: number, host: string, handlers: HttpHandlers, limits: HttpLimits): Promise<HttpListener> {
  if (host !== 'loopback') {
    const server = await listenOne(port, host, handlers, limits);
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

function listenOne(port: number, host: string, handlers: HttpHandlers, limits: HttpLimits): Promise<Server> {
  const server = createServer(httpTimeouts(limits), (request, response) => {
    handshakeDone(request.socket);
    handlers.request(request, response);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    handshakeDone(request.socket);
    handlers.upgrade(request, socket, head);
  });
  if (limits.handshakeTimeout > 0) server.on('connection', (socket: Socket) => startHandshakeTimer(socket, limits.handshakeTimeout, handlers));
  server.on('clientError', (_error, socket) => socket.destroy());
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

/** Node's default `requestTimeout`. */
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

const handshakeTimers = new WeakMap<Socket, ReturnType<typeof setTimeout>>();

/** Destroys `socket` unless a complete request (upgrade or HTTP) arrives within `timeout` ms. */
function startHandshakeTimer(socket: Socket, timeout: number, handlers: HttpHandlers): void {
  const timer = setTimeout(() => {
    handshakeTimers.delete(socket);
    socket.destroy();
    handlers.timeout?.(socket);
  }, timeout);
  timer.unref();
  handshakeTimers.set(socket, timer);
  socket.once('close', () => handshakeDone(socket));
}

/** The connection sent a complete request: the handshake timer no longer applies. */
function handshakeDone(socket: Socket): void {
  const timer = handshakeTimers.get(socket);
  if (timer === undefined) return;
  clearTimeout(timer);
  handshakeTimers.delete(socket);
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
