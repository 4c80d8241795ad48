import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HiseSocket } from '../../src/host/hise-proxy/hise-socket.js';

// Issue 22: the proxy's connection to HISE. HISE flushes the messages it held for the first page
// right after the handshake: they may share a TCP segment with the 101 answer, and must not be lost.

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A server that answers the handshake and writes `after` in the same write, then `pieces` one by one. */
async function answering(after: Buffer, status = '101 Switching Protocols', pieces: Buffer[] = []): Promise<number> {
  server = createServer((socket) => {
    socket.on('error', () => undefined); // the client may go first: nothing to report here
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)![1]!;
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`), after]));
      const next = (i: number): void => {
        if (i < pieces.length) socket.write(pieces[i]!, () => setImmediate(() => next(i + 1)));
      };
      next(0);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('HiseSocket', () => {
  it('frames that come with the handshake answer are read once the proxy listens', async () => {
    const frame = Buffer.from('82 10 01 04 00 6d 73 67 00 05 00 00 00 68 65 6c 6c 6f'.replace(/ /g, ''), 'hex');
    const socket = await HiseSocket.open({ port: await answering(Buffer.concat([frame, frame])) });
    const payloads: Uint8Array[] = [];
    const two = new Promise<void>((resolve) => socket.on('message', (_opcode, payload) => (payloads.push(payload), payloads.length === 2 && resolve())));
    socket.start();
    await two;
    expect(payloads.map((p) => Buffer.from(p).toString('hex'))).toEqual([frame.subarray(2).toString('hex'), frame.subarray(2).toString('hex')]);
    socket.close();
  });

  it('2,048 floats (8,205-byte payload, length 0d 20 little-endian) written in 100-byte pieces arrive whole', async () => {
    const samples = Float32Array.from({ length: 2048 }, (_, i) => i / 2048);
    const payload = Buffer.concat([Buffer.from('0206007363 6f706500 00200000'.replace(/ /g, ''), 'hex'), Buffer.from(samples.buffer)]);
    const frame = Buffer.concat([Buffer.from('827e0d20', 'hex'), payload]);
    const pieces = Array.from({ length: Math.ceil(frame.length / 100) }, (_, i) => frame.subarray(i * 100, (i + 1) * 100));
    const socket = await HiseSocket.open({ port: await answering(Buffer.alloc(0), undefined, pieces) });
    const message = new Promise<Uint8Array>((resolve) => socket.on('message', (_opcode, data) => resolve(data)));
    socket.start();
    expect(Buffer.from(await message).equals(payload)).toBe(true);
    socket.close();
  });

  it('an answer that is not 101: HISE_UNREACHABLE; a non-loopback address: INVALID_OPTION', async () => {
    const port = await answering(Buffer.alloc(0), '404 Not Found');
    await expect(HiseSocket.open({ port })).rejects.toMatchObject({ code: 'HISE_UNREACHABLE' });
    await expect(HiseSocket.open({ port, host: '192.168.1.5' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
