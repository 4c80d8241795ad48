import { describe, expect, it } from 'vitest';
import {
  BridgeCall,
  decodeMessage,
  encodeCall,
  encodeFloat32,
  encodeFrame,
  encodeStreamAck,
  encodeString,
  encodeSubscriptions,
  encodeTimedFrame,
  encodeTimeSync,
  encodeVisibility,
  FrameType,
  ProtocolError,
  readAck,
  RefusalCode,
  type ProtocolErrorCode,
} from '../../src/protocol/index.js';
import { CallError, WebViewError, type WebView } from '../../src/host/index.js';
import { hex, until } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';
import { closedAfter, codeOf, collectGarbage, openPage, RawPage, tcp, watchedHost } from './helpers.js';
import { largeAllocationsDuring } from './allocations.js';
import { clientFrame, Opcode, rawUpgrade } from './raw-socket.js';

// One test per row of docs/BAD-INPUT.md, named after the row. Each sends the bad input to a real
// host on port 0 and checks what the table says: the code, what happens to the page, and that the
// host goes on serving.

/** An extended frame as the modern client writes it (id padded so the data is 8-byte aligned). */
function ext(type: number, id: string, data: Uint8Array | string, seq?: number): Uint8Array {
  return encodeFrame(type, id, data, { align: true, ...(seq === undefined ? {} : { seq }) });
}

/** Sets the uint32 size field of a frame without sequence number. */
function withSize(frame: Uint8Array, size: number): Uint8Array {
  const copy = new Uint8Array(frame); // a copy with its own buffer (Buffer#slice would be a view)
  const idLength = copy[1]! | (copy[2]! << 8);
  new DataView(copy.buffer).setUint32(3 + idLength, size >>> 0, true);
  return copy;
}

function decodeError(run: () => unknown): ProtocolErrorCode | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).code;
  }
  return undefined;
}

/**
 * Sends `bytes` from an extended page, then a good message: the host reports exactly `code`, keeps
 * the page, and delivers the good message.
 */
async function extendedPageSends(bytes: Uint8Array | string, code: string): Promise<void> {
  const { wv, port, inbox, errors } = await watchedHost();
  const page = await openPage(wv, port);
  page.send(bytes);
  page.send(ext(FrameType.String, 'after', 'still here'));
  await until(() => inbox.some((m) => m.id === 'after'), 3000, 'the good message after the bad one');
  expect(errors.map(codeOf)).toEqual([code]);
  expect(inbox.map((m) => m.id)).toEqual(['after']);
  expect(wv.pages).toHaveLength(1);
}

/** A fresh page still gets a round trip: the host is serving. */
async function stillServes(wv: WebView, port: number): Promise<void> {
  const probe = await openPage(wv, port);
  probe.send(encodeCall(7, 'nobody', []));
  expect((await probe.reply(7)).ok).toBe(false);
  probe.close();
}

describe('BAD-INPUT.md: malformed frames', () => {
  it('01 truncated header', async () => {
    const bytes = hex('01 04 00');
    expect(decodeError(() => decodeMessage(bytes))).toBe('TRUNCATED_HEADER');
    await extendedPageSends(bytes, 'INVALID_FRAME/TRUNCATED_HEADER');
  });

  it('02 id length past the end', async () => {
    const bytes = hex('03 | ff 00 | 61 00 | 00 00 00 00');
    expect(decodeError(() => decodeMessage(hex('01 | ff 00 | 61 00 | 00 00 00 00')))).toBe('ID_PAST_END');
    await extendedPageSends(bytes, 'INVALID_FRAME/ID_PAST_END');
  });

  it('03 size past the end', async () => {
    expect(decodeError(() => decodeMessage(withSize(encodeString('s', 'hi'), 100)))).toBe('SIZE_PAST_END');
    await extendedPageSends(withSize(ext(FrameType.String, 's', 'hi'), 100), 'INVALID_FRAME/SIZE_PAST_END');
  });

  it('04 huge length field (size 0xFFFFFFFF)', async () => {
    const MiB = 1 << 20;
    // The counter sees the allocation a naive decoder would make, so the two checks after it can fail.
    expect(await largeAllocationsDuring(MiB, () => new Float32Array(MiB))).toEqual([4 * MiB]);
    const legacy = withSize(encodeString('s', 'hi'), 0xffffffff);
    expect(await largeAllocationsDuring(MiB, () => expect(decodeError(() => decodeMessage(legacy))).toBe('SIZE_PAST_END'))).toEqual([]);
    // Through a live host: refused before anything is allocated (nothing of a mebibyte or more).
    const extended = withSize(ext(FrameType.Float32, 's', new Uint8Array(8)), 0xffffffff);
    expect(await largeAllocationsDuring(MiB, () => extendedPageSends(extended, 'INVALID_FRAME/SIZE_PAST_END'))).toEqual([]);
  });

  it('05 unknown type', async () => {
    expect(decodeError(() => decodeMessage(hex('7f | 02 00 | 61 00 | 00 00 00 00')))).toBe('UNKNOWN_TYPE');
    await extendedPageSends(hex('7f | 02 00 | 61 00 | 00 00 00 00'), 'INVALID_FRAME/UNKNOWN_TYPE');
  });

  it('06 id without its NUL terminator', async () => {
    expect(decodeError(() => decodeMessage(hex('01 | 02 00 | 61 62 | 00 00 00 00')))).toBe('ID_NOT_TERMINATED');
    await extendedPageSends(hex('01 | 02 00 | 61 62 | 00 00 00 00'), 'INVALID_FRAME/ID_NOT_TERMINATED');
  });

  it('07 trailing bytes after the data', async () => {
    const legacy = Buffer.concat([encodeString('s', 'hi'), hex('00')]);
    expect(decodeError(() => decodeMessage(legacy))).toBe('TRAILING_BYTES');
    await extendedPageSends(Buffer.concat([ext(FrameType.String, 's', 'hi'), hex('00')]), 'INVALID_FRAME/TRAILING_BYTES');
  });

  it('08 float bytes not a multiple of 4', async () => {
    expect(decodeError(() => decodeMessage(withSize(Buffer.concat([encodeFloat32('f', new Float32Array(1)), hex('00 00')]), 6)))).toBe(
      'FLOAT_SIZE_NOT_MULTIPLE_OF_4',
    );
    await extendedPageSends(ext(FrameType.Float32, 'f', new Uint8Array(6)), 'INVALID_FRAME/FLOAT_SIZE_NOT_MULTIPLE_OF_4');
    // A HISE-style page's binary message is raw floats: 5 bytes cannot be.
    const { wv, port, inbox, errors } = await watchedHost();
    const page = await openPage(wv, port, { extended: false });
    page.send(new Uint8Array(5));
    page.send(new Float32Array([1]));
    await until(() => inbox.length === 1);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_FLOAT_PAYLOAD']);
    expect(errors[0]!.data).toEqual(new Uint8Array(5));
  });

  it('09 invalid UTF-8 (id, string data, a text frame)', async () => {
    expect(decodeError(() => decodeMessage(hex('01 | 02 00 | ff 00 | 00 00 00 00')))).toBe('INVALID_UTF8');
    expect(decodeError(() => decodeMessage(hex('01 | 02 00 | 61 00 | 02 00 00 00 | c3 28')))).toBe('INVALID_UTF8');
    await extendedPageSends(ext(FrameType.String, 's', hex('c3 28')), 'INVALID_FRAME/INVALID_UTF8');
    // A text frame that is not UTF-8 breaks the WebSocket protocol itself: ws closes the page with 1007.
    const { wv, port, errors } = await watchedHost();
    const socket = await rawUpgrade(port);
    await until(() => wv.pages.length === 1);
    const closed = closedAfter(socket);
    socket.write(clientFrame(Opcode.Text, hex('c3 28')));
    await closed;
    await until(() => wv.pages.length === 0);
    expect(errors.map((e) => e.code)).toEqual(['PAGE_PROTOCOL_ERROR']);
    await stillServes(wv, port);
  });

  it('10 invalid JSON', async () => {
    await extendedPageSends(ext(FrameType.Json, 'j', '{"gain": '), 'INVALID_JSON');
    const { wv, port, inbox, errors } = await watchedHost();
    const page = await openPage(wv, port, { extended: false });
    page.send('{"gain": ');
    page.send('{"gain": 1}');
    await until(() => inbox.length === 1);
    expect(inbox[0]!.data).toEqual({ gain: 1 });
    expect(errors.map((e) => e.code)).toEqual(['INVALID_JSON']);
    expect(errors[0]!.data).toBe('{"gain": ');
  });

  it('11 message over maxPayload', async () => {
    const { wv, port, errors } = await watchedHost({ maxPayload: 1024 });
    const page = await openPage(wv, port);
    page.send(ext(FrameType.Bytes, 'big', new Uint8Array(4096)));
    expect(await page.closed).toBe(1009);
    await until(() => errors.length === 1 && wv.pages.length === 0);
    expect(errors[0]!.code).toBe('MESSAGE_TOO_LARGE');
    // Before the message is buffered: a frame header announcing 4,096 bytes, and not one byte of them,
    // is answered with 1009 at once.
    const raw = await rawUpgrade(port);
    const received: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    raw.write(Buffer.from([0x80 | Opcode.Binary, 0x80 | 126, 4096 >> 8, 4096 & 0xff, 1, 2, 3, 4]));
    await ended;
    const close = Buffer.concat(received);
    expect(close[0]).toBe(0x88); // a close frame, and its code
    expect(close.readUInt16BE(2)).toBe(1009);
    await until(() => errors.length === 2 && wv.pages.length === 0);
    expect(errors[1]!.code).toBe('MESSAGE_TOO_LARGE');
    await stillServes(wv, port);
  });

  it('12 binary where text is expected, text where binary is expected', async () => {
    // An extended page speaks binary frames only.
    const { wv, port, errors } = await watchedHost();
    const page = await openPage(wv, port);
    page.send('plain text');
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe('INVALID_FRAME');
    expect(errors[0]!.data).toBe('plain text');
    // A call whose data is not the documented JSON object.
    page.send(ext(FrameType.Call, 'fn', hex('00 01 02 03')));
    await until(() => errors.length === 2);
    expect(codeOf(errors[1]!)).toBe('INVALID_FRAME/INVALID_CONTROL_FRAME');
    expect(wv.pages).toHaveLength(1);
  });

  it('12b hostile fresh-streams frames: refused as INVALID_CONTROL_FRAME, nothing changes, the page is kept', async () => {
    const { wv, port, inbox, errors } = await watchedHost({ maxSubscriptionIds: 4 });
    const page = await openPage(wv, port, { query: '?streams=1' });
    const hostPage = wv.pages[0]!;
    // A state to keep: subscribed to 'a' only, visible, one frame of 'a' in flight and unacknowledged.
    page.send(encodeSubscriptions({ all: false, rate: 0, ids: { a: 0 }, except: [] }));
    page.send(ext(FrameType.String, 'subscribed', '')); // handled in order: the subscriptions are in place after this
    await until(() => inbox.some((m) => m.id === 'subscribed'));
    wv.send('a', new Float32Array(256));
    await until(() => page.frames.some((f) => f.type === FrameType.Float32 || f.type === FrameType.Timed));
    const stats = hostPage.streamStats!;
    const before = { bytesInFlight: stats.bytesInFlight, windowBytes: stats.windowBytes, visible: stats.visible };
    expect(before.bytesInFlight).toBeGreaterThan(0);
    expect(before.visible).toBe(true);

    const control = (type: number, data: Uint8Array | string): Uint8Array => encodeFrame(type, '', data, { align: true });
    const notFinite = new Uint8Array(8);
    new DataView(notFinite.buffer).setFloat64(0, Number.NaN, true);
    const hostile: [string, Uint8Array, string][] = [
      ['an ack of more than was sent', encodeStreamAck(before.bytesInFlight + 1), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['subscriptions that are not JSON', control(FrameType.Subscriptions, '{"all":'), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['subscriptions not of the documented shape', control(FrameType.Subscriptions, '[1,2]'), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a rate below 0', control(FrameType.Subscriptions, '{"all":true,"rate":-1,"ids":{},"except":[]}'), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a rate that is not finite', control(FrameType.Subscriptions, '{"all":true,"rate":1e999,"ids":{},"except":[]}'), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['an id rate that is not finite', control(FrameType.Subscriptions, '{"all":false,"rate":0,"ids":{"b":1e999},"except":[]}'), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['more than maxSubscriptionIds ids', encodeSubscriptions({ all: false, rate: 0, ids: { b: 0, c: 0, d: 0, e: 0, f: 0 }, except: [] }), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a visibility byte of 2', control(FrameType.Visibility, new Uint8Array([2])), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a time sync of 4 bytes', control(FrameType.TimeSync, new Uint8Array(4)), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a time sync that is not a finite float64', control(FrameType.TimeSync, notFinite), 'INVALID_FRAME/INVALID_CONTROL_FRAME'],
      ['a Timed frame from a page', encodeTimedFrame(FrameType.Float32, 'a', new Uint8Array(8), { time: 1 }, { align: true }), 'INVALID_FRAME/UNKNOWN_TYPE'],
    ];
    for (const [what, bytes] of hostile) {
      page.send(bytes);
      page.send(ext(FrameType.String, 'after', what)); // the sentinel: handled after the hostile frame
      await until(() => inbox.some((m) => m.id === 'after' && m.data === what), 3000, `the message after ${what}`);
    }
    expect(errors.map(codeOf)).toEqual(hostile.map(([, , code]) => code));
    // Nothing changed: the window, what is in flight, the visibility, and the subscriptions.
    expect({ bytesInFlight: stats.bytesInFlight, windowBytes: stats.windowBytes, visible: stats.visible }).toEqual(before);
    const unsubscribedB = stats.ids.get('b')?.unsubscribed ?? 0;
    wv.send('b', new Float32Array(4)); // never subscribed to: not sent
    expect(stats.ids.get('b')!.unsubscribed).toBe(unsubscribedB + 1);
    expect(wv.pages).toEqual([hostPage]);

    // Fresh-streams frames from a page that did not offer them (valid frames, all four types).
    const plain = await openPage(wv, port);
    const plainPage = wv.pages[1]!;
    const offered = [encodeStreamAck(0), encodeSubscriptions({ all: true, rate: 0, ids: {}, except: [] }), encodeVisibility(false), encodeTimeSync(1)];
    errors.length = 0;
    for (const [i, bytes] of offered.entries()) {
      plain.send(bytes);
      plain.send(ext(FrameType.String, 'plain-after', String(i)));
      await until(() => inbox.some((m) => m.id === 'plain-after' && m.data === String(i)), 3000, `the message after frame ${i}`);
    }
    expect(errors.map(codeOf)).toEqual(offered.map(() => 'INVALID_FRAME/INVALID_CONTROL_FRAME'));
    expect(plainPage.streamStats).toBeUndefined(); // it did not start fresh streams by sending their frames
    wv.sendTo(plainPage, 'f', new Float32Array([1])); // nor went hidden: it still gets stream frames
    await until(() => plain.frames.some((f) => f.id === 'f'), 3000, 'a stream frame to the plain page');
    expect(wv.pages).toHaveLength(2);
  });

  it('13 a reserved WebSocket opcode', async () => {
    const { wv, port, errors } = await watchedHost();
    const socket = await rawUpgrade(port);
    await until(() => wv.pages.length === 1);
    const closed = closedAfter(socket);
    socket.write(clientFrame(Opcode.Reserved, hex('00')));
    await closed;
    await until(() => wv.pages.length === 0);
    expect(errors.map((e) => e.code)).toEqual(['PAGE_PROTOCOL_ERROR']);
    await stillServes(wv, port);
  });

  it('14 a replayed sequence number', async () => {
    const { wv, port, inbox, errors } = await watchedHost();
    const page = await openPage(wv, port, { query: `?session=${'ab'.repeat(16)}` });
    page.send(ext(FrameType.String, 'once', 'a', 1));
    page.send(ext(FrameType.String, 'once', 'a', 1));
    page.send(ext(FrameType.String, 'once', 'b', 2));
    await until(() => page.frames.some((f) => f.type === FrameType.Ack && readAck(f) === 2));
    expect(inbox.map((m) => m.data)).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
  });

  it('15 a reply to a call the host never made', async () => {
    const { wv, port, errors } = await watchedHost();
    const page = await openPage(wv, port);
    page.send(ext(FrameType.Result, '', '{"c":999,"v":1}'));
    page.send(ext(FrameType.Error, '', '{"c":998,"e":{"message":"x"}}'));
    page.send(encodeCall(5, 'nobody', []));
    await page.reply(5);
    expect(errors).toEqual([]);
    expect(wv.pages).toHaveLength(1);
  });
});

describe('BAD-INPUT.md: calls', () => {
  it('16 call to an unknown function', async () => {
    const { wv, port } = await watchedHost();
    const page = await openPage(wv, port);
    page.send(encodeCall(1, 'noSuchFunction', []));
    const reply = await page.reply(1);
    expect(reply.ok || reply.error.code).toBe('UNKNOWN_FUNCTION');
  });

  it('17 call with a prototype name (__proto__, constructor, toString, hasOwnProperty)', async () => {
    const { wv, port } = await watchedHost();
    wv.bindCallback('real', () => 'ok');
    const page = await openPage(wv, port);
    // What the prototypes hold before: any property added or replaced afterwards is pollution.
    const shape = (o: object): Record<string, unknown> =>
      Object.fromEntries(Reflect.ownKeys(o).map((k) => [String(k), Object.getOwnPropertyDescriptor(o, k)!.value ?? 'accessor']));
    const before = [shape(Object.prototype), shape(Function.prototype), shape(Array.prototype)];
    // Arguments that carry an own "__proto__" key (JSON.parse makes one), as a pollution attempt would.
    const hostile = JSON.parse('[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]') as unknown[];
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    names.forEach((name, i) => page.send(encodeCall(i + 1, name, hostile)));
    names.forEach((name, i) => page.send(encodeCall(i + 11, BridgeCall.Callback, [name, hostile])));
    page.send(encodeCall(21, BridgeCall.Callback, ['real', hostile])); // a real callback gets the same arguments
    for (const callId of [1, 2, 3, 4, 11, 12, 13, 14]) {
      const reply = await page.reply(callId);
      expect(reply.ok || reply.error.code, `call ${callId}`).toBe('UNKNOWN_FUNCTION');
    }
    expect((await page.reply(21)).ok).toBe(true);
    expect([shape(Object.prototype), shape(Function.prototype), shape(Array.prototype)]).toEqual(before);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('18 huge argument arrays', async () => {
    const { wv, port, errors } = await watchedHost();
    let longest = 0;
    wv.handle('count', (...args: unknown[]) => (longest = args.length));
    const page = await openPage(wv, port);
    // Up to maxCallArguments (1000) the handler runs; past it (here a million, which spread into the
    // handler would overflow the stack) a coded error reply, and the handler never runs.
    page.send(encodeCall(1, 'count', new Array(1000).fill(0)));
    page.send(encodeCall(2, 'count', new Array(1_000_000).fill(0)));
    const [small, huge] = [await page.reply(1), await page.reply(2)];
    expect(small).toMatchObject({ ok: true, value: 1000 });
    expect(huge.ok || huge.error.code).toBe('TOO_MANY_ARGUMENTS');
    expect(longest).toBe(1000);
    // Past maxPayload the frame never reaches JSON.parse.
    expect(errors).toEqual([]);
    await stillServes(wv, port);
  });

  it('19 a flood of calls from a page (maxIncomingCalls)', async () => {
    const { wv, port } = await watchedHost({ maxIncomingCalls: 4 });
    let running = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    wv.handle('slow', async () => {
      running++;
      await gate;
      return 'done';
    });
    const page = await openPage(wv, port);
    for (let callId = 1; callId <= 10; callId++) page.send(encodeCall(callId, 'slow', []));
    await until(() => page.replies().length === 6);
    expect(running).toBe(4);
    expect(page.replies().map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array(6).fill('TOO_MANY_CALLS'));
    release();
    await until(() => page.replies().length === 10);
    expect(page.replies().filter((r) => r.ok)).toHaveLength(4);
    page.send(encodeCall(11, 'slow', []));
    expect((await page.reply(11)).ok).toBe(true); // the bound frees up as calls finish
  });

  it('20 a flood of calls to a page that never answers (maxPendingCalls, callTimeout)', async () => {
    const { wv, port } = await watchedHost({ maxPendingCalls: 3, callTimeout: 300 });
    await openPage(wv, port);
    const target = wv.pages[0]!;
    const calls = Array.from({ length: 5 }, () => wv.call(target, 'silent').then(() => 'ok', (error: CallError) => error.code));
    expect(await Promise.all(calls)).toEqual(['CALL_TIMEOUT', 'CALL_TIMEOUT', 'CALL_TIMEOUT', 'TOO_MANY_CALLS', 'TOO_MANY_CALLS']);
    expect(target.connections[0]!.calls.size).toBe(0);
  });
});

describe('BAD-INPUT.md: connections', () => {
  it('21 a wrong token', async () => {
    const { wv, port, refused } = await watchedHost({ token: 'secret' });
    // Closed right after the handshake with 4401 and a reason that never quotes the token; nothing is admitted.
    for (const query of ['?token=guess', '']) {
      const refusal = await refusalOf(new RawPage(port, { query }).socket);
      expect(refusal).toMatchObject({ code: RefusalCode.Token, messages: 0 });
      expect(JSON.stringify(refusal)).not.toContain('secret');
    }
    expect(refused.map((r) => r.reason)).toEqual(['token', 'token']);
    expect(wv.pages).toHaveLength(0);
    await new RawPage(port, { query: '?token=secret' }).opened;
  });

  it('22 a foreign Origin', async () => {
    const { wv, port, refused } = await watchedHost();
    expect(await refusalOf(new RawPage(port, { headers: { Origin: 'https://evil.example' } }).socket)).toMatchObject({ code: RefusalCode.Origin, messages: 0 });
    expect(refused).toMatchObject([{ reason: 'origin', origin: 'https://evil.example' }]);
    expect(wv.pages).toHaveLength(0);
  });

  it('23 a handshake that never completes (slowloris)', async () => {
    const handshakeTimeout = 300;
    const { wv, port, refused } = await watchedHost({ handshakeTimeout });
    // A connection that completes its upgrade in time, before the two that never do: it is not cut when
    // their timers (and its own, had it not been cleared) have run out.
    const page = await openPage(wv, port);
    const partial = await tcp(port);
    const upgradeClosed = closedAfter(partial);
    partial.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upg`);
    const silent = await tcp(port); // not a byte
    const silentClosed = closedAfter(silent);
    const [upgradeMs, silentMs] = await Promise.all([upgradeClosed, silentClosed]);
    for (const ms of [upgradeMs, silentMs]) {
      expect(ms).toBeGreaterThanOrEqual(handshakeTimeout - 50);
      expect(ms).toBeLessThan(handshakeTimeout + 2000);
    }
    expect(refused.map((r) => r.reason)).toEqual(['timeout', 'timeout']);
    page.send(encodeCall(9, 'nobody', []));
    expect((await page.reply(9)).ok).toBe(false); // answered: the page is still connected
    expect(page.socket.readyState).toBe(page.socket.OPEN);
  });

  it('24 more pages than maxPages', async () => {
    const { wv, port, refused } = await watchedHost({ maxPages: 2 });
    const first = await openPage(wv, port);
    await openPage(wv, port);
    expect(await refusalOf(new RawPage(port).socket)).toMatchObject({ code: RefusalCode.Capacity, reason: expect.stringContaining('maxPages'), messages: 0 });
    expect(refused.map((r) => r.reason)).toEqual(['capacity']);
    expect(wv.pages).toHaveLength(2);
    first.close();
    await until(() => wv.pages.length === 1);
    await openPage(wv, port);
  });

  it('24 more sockets in one tab than maxConnectionsPerPage', async () => {
    const { wv, port, refused } = await watchedHost({ maxPages: 1, maxConnectionsPerPage: 2 });
    const query = `?tab=${'t'.repeat(22)}`;
    const first = await openPage(wv, port, { query });
    await new RawPage(port, { query, extended: false }).opened;
    await until(() => wv.pages[0]?.connections.length === 2);
    expect(wv.pages).toHaveLength(1); // two sockets, one page: maxPages 1 holds
    expect(await refusalOf(new RawPage(port, { query }).socket)).toMatchObject({ code: RefusalCode.Capacity, messages: 0 });
    expect(await refusalOf(new RawPage(port).socket)).toMatchObject({ code: RefusalCode.Capacity, messages: 0 }); // another page: maxPages
    expect(refused.map((r) => r.reason)).toEqual(['capacity', 'capacity']);
    first.close();
    await until(() => wv.pages[0]?.connections.length === 1);
    await new RawPage(port, { query }).opened; // room again in the tab
  });

  it('24b a tab id naming an open tab from another Origin; a malformed tab id', async () => {
    const { wv, port, errors } = await watchedHost();
    const tab = 'A'.repeat(22);
    await openPage(wv, port, { query: `?tab=${tab}`, headers: { Origin: 'http://127.0.0.1:9' } });
    await openPage(wv, port, { query: `?tab=${tab}`, headers: { Origin: 'http://localhost:9' } });
    expect(wv.pages.map((p) => [p.tab, p.connections.length])).toEqual([[tab, 1], [tab, 1]]);
    await openPage(wv, port, { query: '?tab=short' });
    await openPage(wv, port, { query: '?tab=short' });
    expect(wv.pages.slice(2).map((p) => [p.tab, p.connections.length])).toEqual([[undefined, 1], [undefined, 1]]);
    expect(errors).toEqual([]);
  });

  it('25 thousands of connect/disconnect cycles', async () => {
    const { wv, port, errors } = await watchedHost();
    let disconnects = 0;
    wv.on('disconnect', () => disconnects++);
    const cycle = async (extended: boolean): Promise<void> => {
      const page = new RawPage(port, { extended });
      await page.opened;
      page.socket.terminate(); // half the time no close frame at all
    };
    const run = async (cycles: number): Promise<void> => {
      for (let i = 0; i < cycles; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => cycle((i + k) % 2 === 0)));
      await until(() => wv.pages.length === 0, 5000, 'every page gone');
    };
    await run(400); // warm-up
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const handlesBefore = activeHandles();
    await run(2000);
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(disconnects).toBe(2400);
    expect(wv.pages).toHaveLength(0);
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    await until(() => activeHandles() <= handlesBefore + 2, 5000, 'sockets released');
    expect(errors.filter((e) => e.code !== 'PAGE_PROTOCOL_ERROR')).toEqual([]);
    await stillServes(wv, port);
  }, 60_000);

  it('26 a page that never reads', async () => {
    const { wv, port, errors } = await watchedHost({ highWaterMark: 16 * 1024, maxQueuedBytesPerPage: 256 * 1024 });
    const page = await openPage(wv, port, { extended: false });
    (page.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const text = 'x'.repeat(4096);
    for (let i = 0; i < 2000 && errors.length === 0; i++) {
      wv.sendToWebsocket('log', `${i}${text}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => wv.pages.length === 0);
    expect(errors.map((e) => e.code)).toEqual(['PAGE_TOO_SLOW']);
    await stillServes(wv, port);
  });

  it('27 a page that stops answering pings', async () => {
    const { wv, port, errors } = await watchedHost({ heartbeatInterval: 100 });
    const page = await openPage(wv, port);
    (page.socket as unknown as { _socket: import('node:net').Socket })._socket.pause();
    await until(() => wv.pages.length === 0, 3000);
    expect(errors.map((e) => e.code)).toEqual(['PAGE_UNRESPONSIVE']);
  });
});

describe('BAD-INPUT.md: the host API', () => {
  it('28 sendToWebsocket with unsupported types', async () => {
    const { wv, port, inbox } = await watchedHost();
    const page = await openPage(wv, port, { extended: false });
    const unsupported: unknown[] = [42, undefined, null, true, Symbol('s'), () => 1, new Int8Array(2), new Map(), new Date(0), 10n];
    for (const data of unsupported) {
      expect(() => wv.sendToWebsocket('x', data as never), String(data as never)).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED_DATA' }) as unknown as Error,
      );
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => wv.sendToWebsocket('x', cyclic)).toThrow(expect.objectContaining({ code: 'UNSERIALIZABLE_DATA' }) as unknown as Error);
    expect(() => wv.sendToWebsocket('a\0b', 'text')).toThrow(expect.objectContaining({ code: 'INVALID_ID' }) as unknown as Error);
    expect(() => wv.sendToWebsocket('x', 'lone \ud800')).toThrow(WebViewError);
    expect(wv.sendToWebsocket('x', 'fine')).toBe('sent');
    await until(() => page.frames.length === 1);
    expect(page.frames[0]).toMatchObject({ id: 'x' });
    expect(inbox).toEqual([]);
  });

  it('29 a message handler that throws', async () => {
    const { wv, port, inbox, errors } = await watchedHost();
    wv.onMessage('boom', () => {
      throw new Error('handler bug');
    });
    const page = await openPage(wv, port);
    page.send(ext(FrameType.String, 'boom', '1'));
    page.send(ext(FrameType.String, 'boom', '2'));
    await until(() => inbox.length === 2 && errors.length === 2);
    expect(errors.map((e) => e.code)).toEqual(['CALLBACK_FAILED', 'CALLBACK_FAILED']);
  });
});

function activeHandles(): number {
  return (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
}
