import { describe, expect, it } from 'vitest';
import { WebView, type WebViewError } from '../../src/host/index.js';
import { connect, until } from '../helpers/node-client.js';
import { startHost } from '../helpers/host.js';

async function hostWithInbox(options = {}) {
  const { wv, port } = await startHost(options);
  const inbox: unknown[] = [];
  const errors: WebViewError[] = [];
  wv.setWebSocketCallback((data) => {
    inbox.push(data);
  });
  wv.on('error', (error) => errors.push(error));
  return { wv, port, inbox, errors };
}

describe('setWebSocketCallback receives what pages send', () => {
  it('JSON objects and arrays parsed, other text as strings, in order', async () => {
    const { port, inbox } = await hostWithInbox();
    const client = await connect(port);
    for (const text of ['{"gain":0.5}', '  [1,2]', 'plain', '1', '']) client.socket.send(text);
    await until(() => inbox.length === 5);
    expect(inbox).toEqual([{ gain: 0.5 }, [1, 2], 'plain', '1', '']);
  });

  it('binary as a Float32Array of byteLength / 4 samples', async () => {
    const { port, inbox } = await hostWithInbox();
    const client = await connect(port);
    client.socket.send(new Float32Array([0.25, -0.5, 1]));
    await until(() => inbox.length === 1);
    expect(inbox[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(inbox[0] as Float32Array)).toEqual([0.25, -0.5, 1]);
  });

  it('passes the page as the second argument', async () => {
    const { wv, port } = await startHost();
    const seen: number[] = [];
    wv.setWebSocketCallback((_data, page) => {
      seen.push(page.id);
    });
    const client = await connect(port);
    client.socket.send('x');
    await until(() => seen.length === 1);
    expect(seen).toEqual([wv.pages[0]!.id]);
  });

  it('reassembles fragmented frames', async () => {
    const { port, inbox } = await hostWithInbox();
    const client = await connect(port);
    client.socket.send('{"par', { fin: false });
    client.socket.send('ts":', { fin: false });
    client.socket.send('3}', { fin: true });
    const floats = new Float32Array([1, 2, 3, 4]);
    const bytes = Buffer.from(floats.buffer);
    client.socket.send(bytes.subarray(0, 6), { binary: true, fin: false });
    client.socket.send(bytes.subarray(6), { binary: true, fin: true });
    await until(() => inbox.length === 2);
    expect(inbox[0]).toEqual({ parts: 3 });
    expect(Array.from(inbox[1] as Float32Array)).toEqual([1, 2, 3, 4]);
  });

  it('takes messages far beyond HISE’s 64 KiB limit, up to maxPayload', async () => {
    const { port, inbox } = await hostWithInbox();
    const client = await connect(port);
    const big = new Float32Array(1 << 20).map((_, i) => i);
    client.socket.send(big);
    await until(() => inbox.length === 1);
    expect((inbox[0] as Float32Array).length).toBe(1 << 20);
    expect((inbox[0] as Float32Array)[123_456]).toBe(123_456);
  });
});

describe('bad input is reported with a code, never delivered as garbage, never lost', () => {
  it('invalid JSON: INVALID_JSON with the raw text; the next message still arrives', async () => {
    const { port, inbox, errors } = await hostWithInbox();
    const client = await connect(port);
    client.socket.send('{"broken":');
    client.socket.send('after');
    await until(() => inbox.length === 1 && errors.length === 1);
    expect(inbox).toEqual(['after']);
    expect(errors[0]!.code).toBe('INVALID_JSON');
    expect(errors[0]!.data).toBe('{"broken":');
  });

  it('binary not a multiple of 4: INVALID_FLOAT_PAYLOAD with the raw bytes', async () => {
    const { port, inbox, errors } = await hostWithInbox();
    const client = await connect(port);
    client.socket.send(Buffer.from([1, 2, 3, 4, 5]));
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe('INVALID_FLOAT_PAYLOAD');
    expect(Array.from(errors[0]!.data as Uint8Array)).toEqual([1, 2, 3, 4, 5]);
    expect(inbox).toEqual([]);
  });

  it('over maxPayload: MESSAGE_TOO_LARGE, the page is closed with 1009, the host keeps serving', async () => {
    const { port, inbox, errors } = await hostWithInbox({ maxPayload: 1024 });
    const client = await connect(port);
    client.socket.send(Buffer.alloc(1028));
    expect((await client.closed).code).toBe(1009);
    expect(errors.map((e) => e.code)).toEqual(['MESSAGE_TOO_LARGE']);
    const next = await connect(port);
    next.socket.send('still here');
    await until(() => inbox.length === 1);
    expect(inbox).toEqual(['still here']);
  });

  it('a throwing or rejecting callback: CALLBACK_FAILED, later messages still delivered', async () => {
    const { wv, port } = await startHost();
    const errors: string[] = [];
    const seen: unknown[] = [];
    wv.on('error', (error) => errors.push(error.code));
    wv.setWebSocketCallback(async (data) => {
      seen.push(data);
      if (data === 'throw') throw new Error('boom');
    });
    const client = await connect(port);
    client.socket.send('throw');
    client.socket.send('ok');
    await until(() => seen.length === 2 && errors.length === 1);
    expect(errors).toEqual(['CALLBACK_FAILED']);
  });

  it('with no error listener it warns instead of throwing', async () => {
    const { wv, port } = await startHost();
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      wv.setWebSocketCallback(() => undefined);
      const client = await connect(port);
      client.socket.send('[oops');
      await until(() => warnings.length === 1);
      expect(warnings[0]).toContain('INVALID_JSON');
    } finally {
      console.warn = original;
    }
  });

  it('setWebSocketCallback before setEnableWebSocket is NOT_ENABLED, as in HISE', async () => {
    const wv = new WebView();
    expect(() => wv.setWebSocketCallback(() => undefined)).toThrow(expect.objectContaining({ code: 'NOT_ENABLED' }));
    await wv.close();
  });
});
