import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient } from '../../src/client/index.js';
import { createSessionId, encodeFrame, FrameType, readAck, readUint32Frame, type Frame } from '../../src/protocol/index.js';
import { SESSION_ENTRY_BYTES } from '../../src/host/delivery/session-outbox.js';
import type { WebView } from '../../src/host/index.js';
import { until } from '../helpers/node-client.js';
import { collectGarbage, openPage, RawPage, watchedHost } from './helpers.js';

// Issue 10, classes 5 and 6: session ids as an attacker uses them. Each test attacks a real host on
// port 0 with raw `ws` peers (a hostile page could do the same from a browser, with less freedom).

const KiB = 1024;
const MiB = 1024 * KiB;

const clients: HiseClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** An extended data frame numbered `seq`, as the modern client writes it. */
function numbered(id: string, text: string, seq: number): Uint8Array {
  return encodeFrame(FrameType.String, id, text, { align: true, seq });
}

/** Connects with a fresh session id and goes away again, leaving the host a session to keep. */
async function mintSession(wv: WebView, port: number, origin?: string): Promise<string> {
  const session = createSessionId();
  const before = wv.pages.length;
  const page = await openPage(wv, port, { query: `?session=${session}`, headers: origin === undefined ? {} : { Origin: origin } });
  page.close();
  await page.closed;
  await until(() => wv.pages.length === before, 5000, 'the host to see the page go');
  return session;
}

/** What the host sends to a page of a session, in order, minus the Hello. */
function sequencedTexts(page: RawPage): [number | undefined, string][] {
  return page.frames.filter((f) => f.type === FrameType.String).map((f) => [f.seq, new TextDecoder().decode(f.bytes)]);
}

function hellos(page: RawPage): Frame[] {
  return page.frames.filter((f) => f.type === FrameType.Hello);
}

/** 100 messages of 16 KiB: the 1.6 MiB of sends. */
const MESSAGES = 100;
const MESSAGE = 'm'.repeat(16 * KiB);
const SENT_BYTES = MESSAGES * MESSAGE.length;

function sendAll(wv: WebView): void {
  for (let i = 0; i < MESSAGES; i++) wv.sendToWebsocket(`msg${i % 4}`, MESSAGE);
}

describe('issue 10 class 5: session ids minted to multiply memory', () => {
  it('S1 one source minting 100 session ids keeps maxSessionsPerSource (16) logs, and a message held by all of them is stored once', async () => {
    const { wv, port } = await watchedHost();
    for (let i = 0; i < 100; i++) await mintSession(wv, port);
    expect(wv.sessionStats.sessions).toBe(wv.options.maxSessionsPerSource);
    sendAll(wv);
    const { sessions, messages, bytes } = wv.sessionStats;
    expect(sessions).toBe(16);
    expect(messages).toBe(MESSAGES);
    // Each 16 KiB message once (plus its frame header), and one small entry per session and message.
    expect(bytes).toBeGreaterThan(SENT_BYTES);
    expect(bytes).toBeLessThanOrEqual(SENT_BYTES * 1.01 + sessions * MESSAGES * SESSION_ENTRY_BYTES);
  });

  it('S2 100 forged sources (one Origin each) hold 100 sessions, but the 1.6 MiB of sends are stored once, not 100 times', async () => {
    const { wv, port } = await watchedHost();
    for (let i = 0; i < 100; i++) await mintSession(wv, port, `http://127.0.0.1:${20_000 + i}`);
    expect(wv.sessionStats.sessions).toBe(100);
    collectGarbage();
    const before = process.memoryUsage();
    sendAll(wv);
    collectGarbage();
    const after = process.memoryUsage();
    const { bytes, messages } = wv.sessionStats;
    expect(messages).toBe(MESSAGES);
    expect(bytes).toBeLessThanOrEqual(SENT_BYTES * 1.01 + 100 * MESSAGES * SESSION_ENTRY_BYTES);
    // Coarse check of the real memory: a copy per session would be 100 × 1.6 MiB = 160 MiB of
    // frames; one shared frame per message (and HISE's form of it, for legacy pages) is ~3.2 MiB.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(24 * MiB);
    expect(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers).toBeLessThan(48 * MiB);
    expect(after.rss - before.rss).toBeLessThan(64 * MiB); // the whole process, coarsely (measured: under 2 MiB)
  });

  it('S3 all session logs together stay within maxSessionBytes: disconnected sessions go first, a connected page that acknowledges keeps its session', async () => {
    const maxSessionBytes = 512 * KiB;
    const { wv, port, errors } = await watchedHost({ maxSessionBytes });
    const forgotten: string[] = [];
    for (let i = 0; i < 30; i++) forgotten.push(await mintSession(wv, port, `http://127.0.0.1:${30_000 + i}`));
    const client = connect({ port, host: '127.0.0.1', WebSocket: WebSocket as never, reconnect: false });
    clients.push(client);
    let received = 0;
    client.on('msg', () => void received++);
    await client.ready;
    let cut = false;
    wv.on('disconnect', () => void (cut = true));
    let peak = 0;
    for (let batch = 0; batch < 32; batch++) {
      for (let i = 0; i < 4; i++) {
        wv.sendToWebsocket('msg', MESSAGE);
        peak = Math.max(peak, wv.sessionStats.bytes);
      }
      const expected = (batch + 1) * 4;
      await until(() => received === expected, 10_000, `batch ${batch}`);
    }
    expect(peak).toBeLessThanOrEqual(maxSessionBytes);
    expect(cut).toBe(false);
    expect(received).toBe(128); // 2 MiB through a 512 KiB budget, each message once
    expect(wv.sessionStats.sessions).toBe(1); // the 30 absent sessions were forgotten
    const reported = errors.filter((e) => e.code === 'PAGE_TOO_SLOW').map((e) => e.message);
    expect(reported).toHaveLength(30);
    expect(reported.every((m) => m.includes('maxSessionBytes'))).toBe(true);
    // The ids are the sessions' secrets: no error message (they end up in logs) carries one.
    expect(reported.filter((m) => forgotten.some((id) => m.includes(id)))).toEqual([]);
  });

  it('S4 sessions of one source beyond maxSessionsPerSource: the least recently active disconnected one is forgotten, never a connected one', async () => {
    const { wv, port } = await watchedHost({ maxSessionsPerSource: 3 });
    const connected = await openPage(wv, port, { query: `?session=${createSessionId()}` });
    const minted: string[] = [];
    for (let i = 0; i < 10; i++) minted.push(await mintSession(wv, port));
    expect(wv.sessionStats.sessions).toBe(3); // the connected one and the two most recent
    expect(wv.pages).toHaveLength(1);
    wv.sendToWebsocket('t', 'still here');
    await until(() => sequencedTexts(connected).length === 1);
    // The most recent minted session still resumes (same epoch, its message resent); an older one starts afresh.
    const recent = await openPage(wv, port, { query: `?session=${minted[9]}` });
    await until(() => sequencedTexts(recent).length === 1);
    expect(sequencedTexts(recent)).toEqual([[1, 'still here']]);
    const old = await openPage(wv, port, { query: `?session=${minted[0]}` });
    await until(() => hellos(old).length === 1);
    expect(sequencedTexts(old)).toEqual([]);
    connected.close();
  });
  it("S9 ids minted with messages fill only their source's share of the page → host ledger: another page's resend is still recognised", async () => {
    const { wv, port, inbox } = await watchedHost({ maxSessions: 64 });
    const victim = createSessionId();
    const page = await openPage(wv, port, { query: `?session=${victim}`, headers: { Origin: 'http://localhost:5173' } });
    page.send(numbered('t', 'once', 1));
    await until(() => page.frames.some((f) => f.type === FrameType.Ack && readAck(f) === 1));
    page.close();
    await page.closed;
    await until(() => wv.pages.length === 0);
    for (let i = 0; i < 200; i++) {
      const minted = await openPage(wv, port, { query: `?session=${createSessionId()}` });
      minted.send(numbered('t', 'minted', 1));
      await until(() => minted.frames.some((f) => f.type === FrameType.Ack));
      minted.close();
      await minted.closed;
      await until(() => wv.pages.length === 0);
    }
    // The victim comes back and resends its message, whose ack it never saw: delivered once only.
    const again = await openPage(wv, port, { query: `?session=${victim}`, headers: { Origin: 'http://localhost:5173' } });
    again.send(numbered('t', 'once', 1));
    again.send(numbered('t', 'next', 2));
    await until(() => again.frames.some((f) => f.type === FrameType.Ack && readAck(f) === 2));
    expect(inbox.filter((m) => m.data !== 'minted').map((m) => m.data)).toEqual(['once', 'next']);
  });
});

describe('issue 10 class 6: a session id is a bearer secret', () => {
  it('S5 session ids that are not 32 lowercase hex digits are refused with 400, a refused event and INVALID_SESSION', async () => {
    const { wv, port, refused, errors } = await watchedHost();
    const bad = ['replay', '', '0', crypto.randomUUID(), 'AB'.repeat(16), 'ab'.repeat(15) + 'a', 'ab'.repeat(16) + 'a', 'gg'.repeat(16), `${'ab'.repeat(16)}%0a`];
    for (const session of bad) {
      const page = new RawPage(port, { query: `?session=${session}` });
      await expect(page.opened).rejects.toThrow('HTTP 400');
    }
    expect(refused.map((r) => r.reason)).toEqual(bad.map(() => 'session'));
    expect(errors.map((e) => e.code)).toEqual(bad.map(() => 'INVALID_SESSION'));
    expect(wv.sessionStats.sessions).toBe(0);
    // The right shape opens.
    const page = await openPage(wv, port, { query: `?session=${createSessionId()}` });
    page.close();
  });

  it('S6 a forged seq 0xFFFFFFFF is refused with INVALID_SEQUENCE and does not move the ledger: the next real message is delivered', async () => {
    const { wv, port, inbox, errors } = await watchedHost();
    const page = await openPage(wv, port, { query: `?session=${createSessionId()}` });
    page.send(numbered('t', 'a', 1));
    page.send(numbered('t', 'forged', 0xffffffff));
    page.send(numbered('t', 'far', 2 + wv.options.sequenceWindow));
    page.send(numbered('t', 'b', 2));
    page.send(numbered('t', 'c', 2 + wv.options.sequenceWindow)); // within the window of 2
    await until(() => page.frames.some((f) => f.type === FrameType.Ack && readAck(f) === 2 + wv.options.sequenceWindow));
    expect(inbox.map((m) => m.data)).toEqual(['a', 'b', 'c']);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_SEQUENCE', 'INVALID_SEQUENCE']);
    expect(page.frames.filter((f) => f.type === FrameType.Ack).every((f) => readAck(f) < 0xffffffff)).toBe(true);
  });

  it('S6b the same window holds for a page without a session id, per connection', async () => {
    const { wv, port, inbox, errors } = await watchedHost({ sequenceWindow: 4 });
    const page = await openPage(wv, port);
    page.send(numbered('t', 'a', 1));
    page.send(numbered('t', 'forged', 6));
    page.send(numbered('t', 'b', 5));
    await until(() => inbox.length === 2 && errors.length === 1);
    expect(inbox.map((m) => m.data)).toEqual(['a', 'b']);
    expect(errors[0]!.code).toBe('INVALID_SEQUENCE');
  });

  it('S7 whoever presents a session id is its owner: a second connection with it replaces the first and gets what the first had not acknowledged', async () => {
    const { wv, port } = await watchedHost();
    const session = createSessionId();
    const first = await openPage(wv, port, { query: `?session=${session}` });
    wv.sendToWebsocket('state', 'one');
    await until(() => sequencedTexts(first).length === 1);
    const second = new RawPage(port, { query: `?session=${session}` });
    await second.opened;
    await first.closed;
    await until(() => wv.pages.length === 1);
    await until(() => sequencedTexts(second).length === 1);
    expect(sequencedTexts(second)).toEqual([[1, 'one']]);
    expect(readUint32Frame(hellos(second)[0]!)).toBe(readUint32Frame(hellos(first)[0]!)); // the same session
    second.close();
  });

  it('S8 one message held for two sessions is stored once and resent to each with its own numbering', async () => {
    const { wv, port } = await watchedHost();
    const [a, b] = [createSessionId(), createSessionId()];
    const pageA = await openPage(wv, port, { query: `?session=${a}` });
    wv.sendToWebsocket('t', 'x');
    const pageB = await openPage(wv, port, { query: `?session=${b}` });
    wv.sendToWebsocket('t', 'y');
    await until(() => sequencedTexts(pageA).length === 2 && sequencedTexts(pageB).length === 1);
    for (const page of [pageA, pageB]) {
      page.close();
      await page.closed;
    }
    await until(() => wv.pages.length === 0);
    wv.sendToWebsocket('t', 'z');
    expect(wv.sessionStats).toMatchObject({ sessions: 2, messages: 3 });
    const againA = await openPage(wv, port, { query: `?session=${a}` });
    const againB = await openPage(wv, port, { query: `?session=${b}` });
    await until(() => sequencedTexts(againA).length === 3 && sequencedTexts(againB).length === 2);
    expect(sequencedTexts(againA)).toEqual([[1, 'x'], [2, 'y'], [3, 'z']]);
    expect(sequencedTexts(againB)).toEqual([[1, 'y'], [2, 'z']]);
    // Acknowledged by both: nothing is held any more.
    againA.send(encodeFrame(FrameType.Ack, '', new Uint8Array([3, 0, 0, 0]), { align: true }));
    againB.send(encodeFrame(FrameType.Ack, '', new Uint8Array([2, 0, 0, 0]), { align: true }));
    await until(() => wv.sessionStats.bytes === 0);
    expect(wv.sessionStats.messages).toBe(0);
  });
});
