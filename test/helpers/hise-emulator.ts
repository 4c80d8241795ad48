/**
 * A HISE WebSocket server as HISE-BEHAVIOUR.md and PROTOCOL-NOTES.md describe it (written from those
 * notes and the byte layout, never from HISE's code), for the proxy's tests:
 * - a plain TCP server on 127.0.0.1 doing the WebSocket handshake;
 * - host → page: one binary frame per message (PROTOCOL.md §1), extended lengths written
 *   LITTLE-endian; id lengths and text sizes counting characters (non-ASCII text arrives cut short);
 * - messages queued per id and sent every ~5 ms cycle: a newer message of an id replaces the queued
 *   one; with no page connected they wait for the first page;
 * - `sendToWebSocket(id, data)`: strings (type 1), `Float32Array` (type 2, copied now), objects as
 *   JSON with a space after `:` and `,`; arrays and everything else dropped silently;
 * - `addBufferToWebSocket(index, buffer)` / `updateBuffer(index)`: id = index mod 256, sent to the
 *   first page only, the frame length fixed at registration;
 * - page → host: frames read once per cycle, with extended lengths little-endian (a 64-bit length
 *   as 0); text whose first character is `{` parsed as JSON (`undefined` if invalid), other text a
 *   string, binary a `Float32Array` — to the one callback set with `setWebSocketCallback`; a text
 *   frame read in the same batch after a binary one is delivered as that buffer.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/** HISE's send cycle, about 5 ms. */
export const HISE_CYCLE_MS = 5;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HANDSHAKE_BYTES = 16 * 1024;

/** What the emulator's socket callback gets, as HISE's script would. */
export type HiseData = string | Float32Array | Record<string, unknown> | undefined;

/** One page socket of the emulator. */
interface PageSocket {
  socket: Socket;
  open: boolean;
  pending: Buffer;
}

interface Registered {
  buffer: Float32Array;
  /** Float bytes fixed at registration: later frames carry this many, whatever the buffer holds then. */
  bytes: number;
  dirty: boolean;
}

export interface HiseEmulator {
  readonly port: number;
  /** Pages connected now (handshake done, not closed). */
  readonly pageCount: number;
  sendToWebSocket(id: string, data: unknown): void;
  addBufferToWebSocket(index: number, buffer: Float32Array): void;
  updateBuffer(index: number): void;
  setWebSocketCallback(callback: ((data: HiseData) => void) | undefined): void;
  /** Resolves when `count` pages are connected. */
  pages(count: number): Promise<void>;
  /** Writes `payload` as one frame to every page now, whatever it holds (for tests of what a proxy does with a bad one). */
  writeRaw(payload: Buffer): void;
  /** Resolves after the next send cycle has written what was queued before it. */
  nextCycle(): Promise<void>;
  /** Resolves when a page's socket closes (the browser failed the connection, or it went). */
  nextClose(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the emulator on `port` of 127.0.0.1 (0: any free port). */
export async function startHiseEmulator(port = 0): Promise<HiseEmulator> {
  const sockets: PageSocket[] = [];
  const queue = new Map<string, Buffer>();
  const buffers = new Map<number, Registered>();
  let callback: ((data: HiseData) => void) | undefined;
  const waiters = new Set<() => void>();
  const closeWaiters: (() => void)[] = [];
  const cycleWaiters: (() => void)[] = [];
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const openSockets = (): PageSocket[] => sockets.filter((s) => s.open);

  const server: Server = createServer((socket) => {
    const page: PageSocket = { socket, open: false, pending: Buffer.alloc(0) };
    sockets.push(page);
    socket.on('data', (chunk: Buffer) => {
      page.pending = Buffer.concat([page.pending, chunk]);
      if (!page.open) handshake(page);
      // Page → host is read on the next cycle, with what has arrived by then.
    });
    const gone = (): void => {
      const wasOpen = page.open;
      page.open = false;
      sockets.splice(sockets.indexOf(page), 1);
      if (wasOpen) for (const resolve of closeWaiters.splice(0)) resolve();
      notify();
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
  });

  function handshake(page: PageSocket): void {
    const end = page.pending.indexOf('\r\n\r\n');
    if (end < 0) {
      if (page.pending.length > MAX_HANDSHAKE_BYTES) page.socket.destroy();
      return;
    }
    const head = page.pending.subarray(0, end).toString('latin1');
    page.pending = page.pending.subarray(end + 4);
    const key = /^sec-websocket-key:\s*(\S+)\s*$/im.exec(head)?.[1];
    if (key === undefined) {
      page.socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    page.socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    page.open = true;
    notify();
  }

  /** One ~5 ms cycle: read what pages sent, then send the queue (to every page) and dirty buffers (to the first). */
  const timer = setInterval(() => {
    for (const page of openSockets()) readPage(page);
    const open = openSockets();
    if (open.length === 0) return;
    const waiting = cycleWaiters.splice(0);
    for (const payload of queue.values()) for (const page of open) page.socket.write(frameLittleEndian(payload));
    queue.clear();
    for (const [index, registered] of buffers) {
      if (!registered.dirty) continue;
      registered.dirty = false;
      open[0]!.socket.write(frameLittleEndian(floatPayload(String(index), registered.buffer, registered.bytes)));
    }
    for (const resolve of waiting) resolve();
  }, HISE_CYCLE_MS);

  /** One read batch: HISE keeps one buffer per batch, so a text frame after a binary one is delivered as that buffer. */
  function readPage(page: PageSocket): void {
    let buffer: Float32Array | undefined;
    for (;;) {
      const frame = readLittleEndianFrame(page.pending);
      if (frame === undefined) return;
      page.pending = page.pending.subarray(frame.size);
      if (frame.opcode === 0x8) {
        page.socket.end();
        return;
      }
      if (frame.opcode === 0x1) callback?.(buffer ?? parseText(frame.payload.toString('utf8')));
      else if (frame.opcode === 0x2) {
        buffer = new Float32Array(frame.payload.buffer.slice(frame.payload.byteOffset, frame.payload.byteOffset + (frame.payload.length & ~3)));
        callback?.(buffer);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    port: bound,
    get pageCount() {
      return openSockets().length;
    },
    sendToWebSocket(id, data) {
      if (typeof data === 'string') queue.set(id, stringPayload(id, data));
      else if (data instanceof Float32Array) queue.set(id, floatPayload(id, data, data.byteLength));
      else if (typeof data === 'object' && data !== null && !Array.isArray(data)) queue.set(id, stringPayload(id, hiseJson(data)));
      // arrays, numbers, booleans and the rest: dropped silently
    },
    addBufferToWebSocket(index, buffer) {
      const slot = index % 256;
      buffers.set(slot, { buffer, bytes: buffer.byteLength, dirty: true });
    },
    updateBuffer(index) {
      const registered = buffers.get(index % 256);
      if (registered !== undefined) registered.dirty = true;
    },
    setWebSocketCallback(fn) {
      callback = fn;
    },
    pages(count) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (openSockets().length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    writeRaw(payload) {
      for (const page of openSockets()) page.socket.write(frameLittleEndian(payload));
    },
    nextCycle() {
      return new Promise((resolve) => cycleWaiters.push(resolve));
    },
    nextClose() {
      return new Promise((resolve) => closeWaiters.push(resolve));
    },
    async close() {
      clearInterval(timer);
      for (const page of sockets) page.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Type 1, HISE's way: the id length and the text size count characters, so non-ASCII text is cut short. */
function stringPayload(id: string, text: string): Buffer {
  const size = text.length;
  const textBytes = Buffer.from(text, 'utf8').subarray(0, size);
  return Buffer.concat([header(0x01, id, size), textBytes]);
}

function floatPayload(id: string, samples: Float32Array, bytes: number): Buffer {
  const data = Buffer.alloc(bytes);
  Buffer.from(samples.buffer, samples.byteOffset, Math.min(bytes, samples.byteLength)).copy(data);
  return Buffer.concat([header(0x02, id, bytes), data]);
}

function header(type: number, id: string, size: number): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const head = Buffer.alloc(3 + idBytes.length + 1 + 4);
  head[0] = type;
  head.writeUInt16LE(id.length + 1, 1);
  idBytes.copy(head, 3);
  head.writeUInt32LE(size, 3 + idBytes.length + 1);
  return head;
}

/** A binary frame with the extended length LITTLE-endian, as HISE writes it. */
export function frameLittleEndian(payload: Buffer): Buffer {
  const length = payload.length;
  if (length <= 125) return Buffer.concat([Buffer.from([0x82, length]), payload]);
  if (length <= 0xffff) {
    const head = Buffer.from([0x82, 126, 0, 0]);
    head.writeUInt16LE(length, 2);
    return Buffer.concat([head, payload]);
  }
  const head = Buffer.alloc(10);
  head[0] = 0x82;
  head[1] = 127;
  head.writeBigUInt64LE(BigInt(length), 2);
  return Buffer.concat([head, payload]);
}

/** A page's frame as HISE reads it: extended lengths little-endian, a 64-bit length as 0. */
function readLittleEndianFrame(bytes: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = bytes[0]! & 0x0f;
  const masked = (bytes[1]! & 0x80) !== 0;
  const short = bytes[1]! & 0x7f;
  const field = short === 126 ? 2 : short === 127 ? 8 : 0;
  const head = 2 + field + (masked ? 4 : 0);
  if (bytes.length < head) return undefined;
  const length = short === 126 ? bytes.readUInt16LE(2) : short === 127 ? 0 : short;
  if (bytes.length < head + length) return undefined;
  const payload = Buffer.from(bytes.subarray(head, head + length));
  if (masked) {
    const mask = bytes.subarray(2 + field, head);
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
  }
  return { opcode, payload, size: head + length };
}

/** `{`-first text as JSON (invalid: `undefined`), anything else a string. */
function parseText(text: string): HiseData {
  if (!text.startsWith('{')) return text;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** JSON as HISE writes an object: a space after `:` and `,`. */
function hiseJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hiseJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${hiseJson(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
