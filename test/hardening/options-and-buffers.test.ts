import { describe, expect, it, vi } from 'vitest';
import { encodeCall, encodeFrame, FrameType } from '../../src/protocol/index.js';
import { PageOutbox } from '../../src/host/delivery/page-outbox.js';
import type { WireFrame } from '../../src/host/delivery/outbound.js';
import { DEFAULT_OPTIONS, WebView, WebViewError, type WebViewOptions } from '../../src/host/index.js';
import { RecordingClient, until } from '../helpers/node-client.js';
import { openPage, watchedHost } from './helpers.js';
import { rawUpgrade } from './raw-socket.js';

/** An extended frame as the modern client writes it. */
function ext(type: number, id: string, data: string, seq?: number): Uint8Array {
  return encodeFrame(type, id, data, { align: true, ...(seq === undefined ? {} : { seq }) });
}

// Issue 10, class 7: `maxPayload: 0` silently meant "unlimited" (ws reads 0 as no limit), and a
// detached Float32Array threw a raw TypeError out of sendToWebsocket.

const invalid = expect.objectContaining({ code: 'INVALID_OPTION' }) as unknown as WebViewError;
const detached = expect.objectContaining({ code: 'DETACHED_BUFFER' }) as unknown as WebViewError;

function transferred<T extends ArrayBufferView>(view: T): T {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
  return view;
}

describe('options where 0 means nothing can work', () => {
  it.each(['maxPayload', 'maxQueuedBytesPerPage', 'callTimeout', 'maxPendingCalls', 'maxPages', 'maxConnectionsPerPage', 'maxSessionsPerSource', 'maxSessionBytes', 'sequenceWindow'] as const)(
    'O1 %s: 0 is INVALID_OPTION, 1 is accepted',
    (key) => {
      expect(() => new WebView({ [key]: 0 } as WebViewOptions)).toThrow(invalid);
      expect(() => new WebView({ [key]: 0.5 } as WebViewOptions)).toThrow(invalid);
      expect(() => new WebView({ [key]: 1 } as WebViewOptions)).not.toThrow();
    },
  );

  // 0 keeps its documented meaning (off, none, or at once): each checked by what it does, against
  // a real host. handshakeTimeout 0 (no timer) is shown in limits.test.ts with a fake clock.
  it('all nine accept 0', () => {
    for (const key of ['heartbeatInterval', 'handshakeTimeout', 'sessionTimeout', 'closeTimeout', 'maxPendingIds', 'maxIncomingCalls', 'maxCallArguments', 'highWaterMark', 'maxSessions'] as const) {
      expect(new WebView({ [key]: 0 } as WebViewOptions).options[key], key).toBe(0);
    }
  });

  it('heartbeatInterval 0: no heartbeat timer at all, so no ping however long the (fake) clock runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const heartbeat = async (heartbeatInterval: number, advanceMs: number): Promise<{ timers: number; pings: number }> => {
        const before = vi.getTimerCount();
        const { wv, port } = await watchedHost({ heartbeatInterval });
        const client = new RecordingClient(`ws://127.0.0.1:${port}`);
        let pings = 0;
        client.socket.on('ping', () => pings++);
        await client.opened;
        await until(() => wv.pages.length === 1);
        const timers = vi.getTimerCount() - before;
        // A timer of period 0 would spin the fake clock forever: only advance when there is none more.
        if (heartbeatInterval > 0 || timers === 0) vi.advanceTimersByTime(advanceMs);
        wv.sendToWebsocket('sentinel', 'after the clock ran'); // written after any ping the clock caused
        await client.waitFor(1);
        return { timers, pings };
      };
      // The control: one interval of the fake clock, one ping (more at once would find the pong not
      // yet back and cut the page, as row 27 says).
      const on = await heartbeat(1000, 1000);
      expect(on.pings).toBe(1);
      const off = await heartbeat(0, 10 * 60_000);
      expect(off.timers).toBe(on.timers - 1);
      expect(off.pings).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closeTimeout 0: close() cuts off a page that never answers the close frame at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const wv = new WebView({ closeTimeout: 0 });
      const port = await wv.setEnableWebSocket(0);
      const socket = await rawUpgrade(port); // a raw peer: it never answers a close frame
      await new Promise<void>((resolve) => {
        const check = (): void => (wv.pages.length === 1 ? resolve() : void setImmediate(check));
        check();
      });
      const gotCloseFrame = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const closing = wv.close();
      await gotCloseFrame;
      vi.advanceTimersByTime(0); // "at once": the 0 ms timer, not closeTimeout's default 1000
      await ended;
      await closing;
      expect(wv.pages).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sessionTimeout 0: a disconnected session is forgotten at once, nothing resent on its return', async () => {
    const session = 'cd'.repeat(16);
    const { wv, port } = await watchedHost({ sessionTimeout: 0 });
    const first = await openPage(wv, port, { query: `?session=${session}` });
    wv.sendToWebsocket('unacked', 'kept only while connected');
    await until(() => first.frames.some((f) => f.id === 'unacked'));
    expect(wv.sessionStats.sessions).toBe(1);
    first.close();
    await until(() => wv.pages.length === 0 && wv.sessionStats.sessions === 0, 3000, 'the session forgotten');
    const again = await openPage(wv, port, { query: `?session=${session}` });
    wv.sendToWebsocket('sentinel', 'after the reconnect'); // a resend would have come first
    await until(() => again.frames.some((f) => f.id === 'sentinel'));
    expect(again.frames.filter((f) => f.type === FrameType.String).map((f) => f.id)).toEqual(['sentinel']);
  });

  it('maxPendingIds 0: nothing is held while no page is connected', async () => {
    const { wv, port } = await watchedHost({ maxPendingIds: 0 });
    expect(wv.sendToWebsocket('early', 'not held')).toBe('dropped');
    const page = await openPage(wv, port);
    wv.sendToWebsocket('sentinel', 'sent to the page'); // a held message would have been flushed first
    await until(() => page.frames.some((f) => f.id === 'sentinel'));
    expect(page.frames.filter((f) => f.type === FrameType.String).map((f) => f.id)).toEqual(['sentinel']);
  });

  it('maxIncomingCalls 0: every call from a page is refused without running', async () => {
    const { wv, port } = await watchedHost({ maxIncomingCalls: 0 });
    const ran: unknown[] = [];
    wv.handle('work', (x: unknown) => void ran.push(x));
    const page = await openPage(wv, port);
    page.send(encodeCall(1, 'work', [1]));
    const reply = await page.reply(1);
    expect(reply.ok).toBe(false);
    expect(reply.ok === false && reply.error.code).toBe('TOO_MANY_CALLS');
    expect(ran).toEqual([]);
  });

  it('maxCallArguments 0: a call with an argument is refused, one without runs', async () => {
    const { wv, port } = await watchedHost({ maxCallArguments: 0 });
    const ran: unknown[][] = [];
    wv.handle('work', (...args: unknown[]) => void ran.push(args));
    const page = await openPage(wv, port);
    page.send(encodeCall(1, 'work', [1]));
    page.send(encodeCall(2, 'work', []));
    const [withArgument, without] = [await page.reply(1), await page.reply(2)];
    expect(withArgument.ok === false && withArgument.error.code).toBe('TOO_MANY_ARGUMENTS');
    expect(without.ok).toBe(true);
    expect(ran).toEqual([[]]);
  });

  it('highWaterMark 0: float frames coalesce as soon as anything is buffered (PageOutbox, as the host builds it)', () => {
    expect(new WebView({ highWaterMark: 0 }).options.highWaterMark).toBe(0);
    const written: string[] = [];
    const sink = { bufferedAmount: 0, send: (bytes: Uint8Array) => void written.push(new TextDecoder().decode(bytes)) };
    const outbox = new PageOutbox(sink, { highWaterMark: 0, maxQueuedBytes: 1000 }, () => undefined);
    const frame = (body: string): WireFrame => ({ id: 'f', kind: 'stream', bytes: new TextEncoder().encode(body) });
    expect(outbox.send(frame('1'))).toBe('sent'); // nothing buffered: straight through
    sink.bufferedAmount = 1; // one byte waiting in the socket
    expect(outbox.send(frame('2'))).not.toBe('sent');
    expect(outbox.send(frame('3'))).not.toBe('sent');
    expect(written).toEqual(['1']);
  });

  it('maxSessions 0: the host remembers only the newest session, so an older one\'s resend is delivered again', async () => {
    const { wv, port, inbox } = await watchedHost({ maxSessions: 0 });
    const a = 'a1'.repeat(16);
    const b = 'b2'.repeat(16);
    const pageA = await openPage(wv, port, { query: `?session=${a}` });
    pageA.send(ext(FrameType.String, 'from-a', 'once', 1));
    await until(() => inbox.some((m) => m.id === 'from-a'));
    const pageB = await openPage(wv, port, { query: `?session=${b}` });
    pageB.send(ext(FrameType.String, 'from-b', 'once', 1));
    await until(() => inbox.some((m) => m.id === 'from-b'));
    pageA.close();
    await until(() => wv.pages.length === 1);
    const again = await openPage(wv, port, { query: `?session=${a}` });
    again.send(ext(FrameType.String, 'from-a', 'once', 1)); // the resend a page makes after a reconnect
    again.send(ext(FrameType.String, 'sentinel', 'next', 2));
    await until(() => inbox.some((m) => m.id === 'sentinel'));
    // Forgotten: delivered again (with sessions remembered it would be deduplicated, BAD-INPUT row 14).
    expect(inbox.filter((m) => m.id === 'from-a')).toHaveLength(2);
  });

  it.each(['maxPendingIds', 'maxPendingCalls', 'maxIncomingCalls', 'maxPages', 'maxConnectionsPerPage', 'maxSessions', 'maxSessionsPerSource', 'sequenceWindow', 'maxCallArguments'] as const)(
    '%s counts, so a fraction is INVALID_OPTION',
    (key) => {
      expect(() => new WebView({ [key]: 2.5 } as WebViewOptions)).toThrow(invalid);
    },
  );

  it('the new session limits have their documented defaults', () => {
    expect(DEFAULT_OPTIONS).toMatchObject({ maxSessionsPerSource: 16, maxSessionBytes: 64 * 1024 * 1024, sequenceWindow: 1024 });
  });

  it('a small maxPayload is enforced, not ignored', async () => {
    const { wv, port, errors } = await watchedHost({ maxPayload: 1 });
    const client = new RecordingClient(`ws://127.0.0.1:${port}`);
    await client.opened;
    client.socket.send(new Float32Array([1]));
    expect((await client.closed).code).toBe(1009);
    await until(() => errors.length === 1);
    expect(errors[0]!.code).toBe('MESSAGE_TOO_LARGE');
    expect(wv.pages).toHaveLength(0);
  });
});

describe('detached buffers', () => {
  it('D1 sendToWebsocket, send, sendTo, addBufferToWebSocket and updateBuffer throw DETACHED_BUFFER; nothing is sent and the host goes on', async () => {
    const { wv, port } = await watchedHost();
    const client = new RecordingClient(`ws://127.0.0.1:${port}`);
    await client.opened;
    await until(() => wv.pages.length === 1);
    const page = wv.pages[0]!;
    expect(() => wv.sendToWebsocket('f', transferred(new Float32Array(4)))).toThrow(detached);
    expect(() => wv.sendToWebSocket('f', transferred(new Float32Array(4).subarray(1)))).toThrow(detached);
    expect(() => wv.send('f', transferred(new Float32Array(4)))).toThrow(detached);
    expect(() => wv.send('i', transferred(new Int16Array(4)) as never)).toThrow(detached);
    expect(() => wv.send('b', transferred(new Uint8Array(4)) as never)).toThrow(detached);
    expect(() => wv.sendTo(page, 'f', transferred(new Float64Array(2)) as never)).toThrow(detached);
    const gone = new ArrayBuffer(8);
    structuredClone(gone, { transfer: [gone] });
    expect(() => wv.send('a', gone as never)).toThrow(detached);
    expect(() => wv.addBufferToWebSocket(1, transferred(new Float32Array(8)))).toThrow(detached);
    const registered = new Float32Array(8);
    wv.addBufferToWebSocket(2, registered);
    transferred(registered);
    expect(() => wv.updateBuffer(2)).toThrow(detached);
    // An empty array that was never transferred is data, not an error.
    expect(wv.sendToWebsocket('empty', new Float32Array(0))).toBe('sent');
    expect(wv.sendToWebsocket('after', 'still working')).toBe('sent');
    const frames = await client.waitFor(2);
    // The first frames the page got are these two: nothing of the refused sends went out before them.
    expect(frames[0]!.includes(Buffer.from('empty'))).toBe(true);
    expect(frames[1]!.includes(Buffer.from('still working'))).toBe(true);
  });
});
