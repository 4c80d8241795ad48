import { EventEmitter } from 'node:events';
import { decodeMessage, ProtocolError } from '../../protocol/index.js';
import { HiseFraming, Opcode } from '../../protocol/hise-framing.js';
import { WebViewError } from '../errors.js';
import type { Page } from '../pages/page.js';
import type { WebView } from '../web-view.js';
import { HiseSocket, type HiseSocketOptions } from './hise-socket.js';
import { HisePacer } from './pacer.js';

/** Options of {@link attachHiseProxy}. */
export interface HiseProxyOptions extends HiseSocketOptions {
  /** Milliseconds between attempts to (re)connect while HISE is not there. @default 1000 */
  retryInterval?: number;
  /**
   * Milliseconds a page's text message waits after a binary one before it goes to HISE, which would
   * otherwise read it in the same ~5 ms batch and deliver it as that buffer. @default 20
   */
  textGap?: number;
  /** Bytes of page messages that may wait for `textGap`; past that a message is refused with `HISE_BACKLOG_FULL`. @default 1 MiB */
  maxWaitingBytes?: number;
}

export const DEFAULT_HISE_PROXY = { retryInterval: 1000, textGap: 20, maxWaitingBytes: 1024 * 1024 } as const;

/** The id under which a page hears why the proxy did not pass its message to HISE: JSON `{"code", "message"}`. */
export const HISE_PROXY_NOTICE_ID = 'hwv:hise-proxy';

interface ProxyEvents {
  /** Connected to HISE (again). */
  connected: [];
  /** Lost HISE (or could not reach it); the proxy keeps trying. */
  disconnected: [error: WebViewError];
  /** A message not passed on, with the page it came from. */
  warning: [error: WebViewError, page: Page | undefined];
}

/** A running proxy between a WebView's pages and a running HISE. */
export interface HiseProxy extends EventEmitter<ProxyEvents> {
  /** Whether HISE is connected now. */
  readonly connected: boolean;
  /** Resolves when HISE is first connected. */
  readonly ready: Promise<void>;
  /** Stops: closes the connection to HISE and stops trying. */
  close(): void;
}

/**
 * Makes `wv` a proxy to a running HISE: one connection to HISE's WebSocket server (as a page has),
 * HISE's messages read with its little-endian lengths and sent to every page with
 * `sendToWebSocket` (so the inspector and a recording see them), and what pages send passed to HISE
 * in frames HISE reads right (≤ 125 bytes as they are, up to 65,535 with the length as HISE reads
 * it); a larger message is refused with `HISE_MESSAGE_TOO_LARGE`, to the page (id
 * {@link HISE_PROXY_NOTICE_ID}) and as a `warning`, never sent to be mis-read; a text message
 * waits `textGap` after a binary one (HISE would read it as that buffer).
 * Sets `wv`'s `setWebSocketCallback`. Give the WebView `extensions: false` and
 * `hiseParameters: false` so pages speak to HISE as they would inside it.
 */
export function attachHiseProxy(wv: WebView, options: HiseProxyOptions): HiseProxy {
  checkOptions(options);
  const retryInterval = options.retryInterval ?? DEFAULT_HISE_PROXY.retryInterval;
  const events = new EventEmitter<ProxyEvents>();
  let socket: HiseSocket | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const pacer = new HisePacer(options.textGap ?? DEFAULT_HISE_PROXY.textGap, options.maxWaitingBytes ?? DEFAULT_HISE_PROXY.maxWaitingBytes, (message) => {
    if (socket !== undefined && !socket.closed) socket.send(message.opcode, message.payload);
  });
  const refuse = (code: 'HISE_MESSAGE_TOO_LARGE' | 'HISE_NOT_CONNECTED' | 'HISE_BACKLOG_FULL', message: string, page: Page): void => {
    const error = new WebViewError(code, message);
    if (page.connections.length > 0) wv.sendTo(page, HISE_PROXY_NOTICE_ID, { code, message });
    events.emit('warning', error, page);
  };

  wv.setWebSocketCallback((data, page) => {
    const message = pageMessage(data);
    if (message === undefined) return;
    if (socket === undefined || socket.closed) {
      refuse('HISE_NOT_CONNECTED', `not passed to HISE: the proxy is not connected to HISE (port ${options.port})`, page);
      return;
    }
    if (message.payload.length > HiseFraming.MAX_READABLE_PAYLOAD) {
      refuse('HISE_MESSAGE_TOO_LARGE', `a ${message.payload.length}-byte message was not passed to HISE: HISE reads at most ${HiseFraming.MAX_READABLE_PAYLOAD} bytes in one message (a longer length it reads as 0)`, page);
      return;
    }
    if (!pacer.add(message)) refuse('HISE_BACKLOG_FULL', `not passed to HISE: more than ${options.maxWaitingBytes ?? DEFAULT_HISE_PROXY.maxWaitingBytes} bytes of this host's messages already wait to go to HISE (a text message waits a little after a binary one)`, page);
  });

  const fromHise = (opcode: number, payload: Uint8Array): void => {
    try {
      if (opcode !== Opcode.Binary) throw new ProtocolError('UNKNOWN_TYPE', 'HISE sent a text frame (it sends every message as a binary frame)');
      const decoded = decodeMessage(payload, { exact: true });
      wv.sendToWebSocket(decoded.id, decoded.data);
    } catch (error) {
      if (!(error instanceof ProtocolError) && !(error instanceof WebViewError)) throw error;
      events.emit('warning', new WebViewError('HISE_MESSAGE_UNREADABLE', `a frame from HISE was not passed on: ${error.message}`, { cause: error, data: payload }), undefined);
    }
  };

  const attempt = async (): Promise<void> => {
    timer = undefined;
    try {
      const opened = await HiseSocket.open(options);
      if (stopped) return opened.close();
      socket = opened;
      opened.on('message', fromHise);
      opened.on('close', (reason) => {
        pacer.clear();
        if (stopped) return;
        events.emit('disconnected', new WebViewError('HISE_UNREACHABLE', `lost HISE at port ${options.port}: ${reason}`));
        timer = setTimeout(() => void attempt(), retryInterval);
      });
      opened.start();
      events.emit('connected');
      markReady();
    } catch (error) {
      if (stopped) return;
      events.emit('disconnected', error as WebViewError);
      timer = setTimeout(() => void attempt(), retryInterval);
    }
  };
  void attempt();

  // Properties, not a copy: `connected` is read when asked.
  return Object.defineProperties(events, {
    connected: { get: () => socket !== undefined && !socket.closed },
    ready: { value: ready },
    close: {
      value: (): void => {
        stopped = true;
        pacer.clear();
        if (timer !== undefined) clearTimeout(timer);
        socket?.close();
      },
    },
  }) as HiseProxy;
}

/** A page's message as HISE's client sends it: strings as text, floats as their bytes, objects as JSON text. */
function pageMessage(data: unknown): { opcode: number; payload: Uint8Array } | undefined {
  if (typeof data === 'string') return { opcode: Opcode.Text, payload: new TextEncoder().encode(data) };
  if (data instanceof Float32Array) return { opcode: Opcode.Binary, payload: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  if (typeof data === 'object' && data !== null) return { opcode: Opcode.Text, payload: new TextEncoder().encode(JSON.stringify(data)) };
  return undefined;
}

/** @throws {WebViewError} `INVALID_OPTION` */
function checkOptions(options: HiseProxyOptions): void {
  const { port, retryInterval, textGap, maxWaitingBytes } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WebViewError('INVALID_OPTION', `HISE's port must be an integer from 1 to 65535, got ${String(port)}`);
  for (const [name, value] of Object.entries({ retryInterval, textGap, maxWaitingBytes })) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new WebViewError('INVALID_OPTION', `option ${name} must be a number of at least 0, got ${String(value)}`);
    }
  }
}
