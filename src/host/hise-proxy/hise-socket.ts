import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { connect, isIP, type Socket } from 'node:net';
import { encodeFrameForHise, hiseFrameSize, Opcode, readHiseServerFrame } from '../../protocol/hise-framing.js';
import { WebViewError } from '../errors.js';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Bytes of HISE's handshake answer we wait for before giving up on it. */
const MAX_HANDSHAKE_BYTES = 16 * 1024;

/** How to reach HISE's WebSocket server. */
export interface HiseSocketOptions {
  /** HISE's port (its `setEnableWebSocket(PORT)`). */
  port: number;
  /** A loopback address: HISE binds 127.0.0.1 only. @default '127.0.0.1' */
  host?: string;
  /** Bytes of the largest frame HISE may send; a larger one closes the connection. @default 16 MiB */
  maxPayload?: number;
  /** Milliseconds the connection and handshake may take. @default 5000 */
  connectTimeout?: number;
}

export const DEFAULT_HISE_SOCKET = { host: '127.0.0.1', maxPayload: 16 * 1024 * 1024, connectTimeout: 5000 } as const;

/**
 * One WebSocket connection to HISE's server, as a page would have (over TCP on loopback), reading
 * HISE's frames with its little-endian lengths and writing frames HISE reads
 * (src/protocol/hise-framing.ts). Events: `message` (opcode, payload), `close` (reason).
 */
export class HiseSocket extends EventEmitter<{ message: [opcode: number, payload: Uint8Array]; close: [reason: string] }> {
  readonly #socket: Socket;
  readonly #maxPayload: number;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Bytes to have before trying to read a frame again. */
  #needed = 2;
  #closed = false;

  private constructor(socket: Socket, maxPayload: number, rest: Uint8Array) {
    super();
    this.#socket = socket;
    this.#maxPayload = maxPayload;
    if (rest.length > 0) {
      this.#chunks.push(rest);
      this.#buffered = rest.length;
    }
    socket.pause(); // until start(): HISE may send its held messages right behind the handshake
    socket.on('close', () => this.#end('HISE closed the connection'));
    socket.on('error', (error) => this.#end(`connection to HISE failed: ${error.message}`));
  }

  /** Starts reading (call once the listeners are on): what came with the handshake first. */
  start(): void {
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.resume();
    if (this.#buffered > 0) this.#receive(new Uint8Array(0));
  }

  /**
   * Connects and completes the handshake; reading starts with {@link start}.
   * @throws {WebViewError} `INVALID_OPTION` (not loopback), `HISE_UNREACHABLE`
   */
  static async open(options: HiseSocketOptions): Promise<HiseSocket> {
    const host = options.host ?? DEFAULT_HISE_SOCKET.host;
    if (!isLoopback(host)) throw new WebViewError('INVALID_OPTION', `HISE's address must be loopback (127.0.0.0/8, ::1 or localhost), got ${host}`);
    const timeout = options.connectTimeout ?? DEFAULT_HISE_SOCKET.connectTimeout;
    const key = randomBytes(16).toString('base64');
    const socket = connect({ port: options.port, host });
    const rest = await new Promise<Uint8Array>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const fail = (why: string): void => {
        socket.destroy();
        reject(new WebViewError('HISE_UNREACHABLE', `cannot connect to HISE at ${host}:${options.port}: ${why} (is its script's setEnableWebSocket(${options.port}) running?)`));
      };
      const timer = setTimeout(() => fail(`no answer within ${timeout} ms`), timeout);
      socket.once('error', (error) => {
        clearTimeout(timer);
        fail(error.message);
      });
      socket.once('connect', () => {
        socket.write(`GET / HTTP/1.1\r\nHost: localhost:${options.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_HANDSHAKE_BYTES) fail('its answer to the handshake is too long');
          return;
        }
        clearTimeout(timer);
        socket.pause(); // nothing may flow past until the HiseSocket reads
        socket.off('data', onData);
        socket.removeAllListeners('error');
        const answer = head.subarray(0, end).toString('latin1');
        const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
        if (!/^HTTP\/1\.1 101/.test(answer)) return fail(`it answered ${JSON.stringify(answer.split('\r\n')[0])}, not 101`);
        if (!new RegExp(`^sec-websocket-accept:\\s*${accept.replace(/[+/=]/g, '\\$&')}\\s*$`, 'im').test(answer)) return fail('its Sec-WebSocket-Accept does not match');
        resolve(new Uint8Array(head.subarray(end + 4)));
      };
      socket.on('data', onData);
    });
    socket.setNoDelay(true);
    return new HiseSocket(socket, options.maxPayload ?? DEFAULT_HISE_SOCKET.maxPayload, rest);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one message as HISE reads it.
   * @throws {ProtocolError} `DATA_TOO_LARGE` past 65,535 bytes (nothing sent)
   */
  send(opcode: number, payload: Uint8Array): void {
    const frame = encodeFrameForHise(opcode, payload, randomBytes(4));
    if (!this.#closed) this.#socket.write(frame);
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.send(Opcode.Close, new Uint8Array([0x03, 0xe8])); // 1000
    } finally {
      this.#socket.end();
      this.#end('closed');
    }
  }

  /**
   * Chunks are kept as they come and joined once a whole frame is there (its size known from its
   * header), so a large frame arriving in many chunks is copied once, not once per chunk.
   */
  #receive(chunk: Uint8Array): void {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    try {
      while (this.#buffered >= this.#needed) {
        const bytes = this.#joined();
        const size = hiseFrameSize(bytes, this.#maxPayload);
        if (size === undefined || bytes.length < size) {
          this.#needed = size ?? bytes.length + 1;
          return;
        }
        const frame = readHiseServerFrame(bytes, this.#maxPayload)!;
        this.#chunks = size === bytes.length ? [] : [bytes.subarray(size)];
        this.#buffered -= size;
        this.#needed = 2;
        if (frame.opcode === Opcode.Close) return this.#end('HISE closed the connection');
        if (frame.opcode === Opcode.Ping) this.send(Opcode.Pong, frame.payload);
        else if (frame.opcode === Opcode.Text || frame.opcode === Opcode.Binary) this.emit('message', frame.opcode, frame.payload);
      }
    } catch (error) {
      this.#socket.destroy();
      this.#end((error as Error).message);
    }
  }

  /** Every chunk kept, as one array (kept so, as the only chunk). */
  #joined(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0]!;
    const joined = new Uint8Array(this.#buffered);
    let at = 0;
    for (const chunk of this.#chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    this.#chunks = [joined];
    return joined;
  }

  #end(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.emit('close', reason);
  }
}

/** 127.0.0.0/8, ::1, `localhost`. */
function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
