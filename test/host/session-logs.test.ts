import { describe, expect, it } from 'vitest';
import { decodeFrame, FrameType } from '../../src/protocol/index.js';
import { hiseMessage } from '../../src/host/delivery/outbound.js';
import { SESSION_ENTRY_BYTES, SessionLogs, type SessionLimits } from '../../src/host/delivery/session-outbox.js';
import type { Connection } from '../../src/host/pages/connection.js';

// The session logs' own accounting, with stand-in connections: what they hold, what they charge, and who
// gets what. (test/hardening/sessions-attack.test.ts attacks the same through a real host.)

interface FakePage {
  session: string;
  remoteAddress: string;
  origin: string;
  frames: Uint8Array[];
  terminated: boolean;
}

function fakePage(session: string, origin = 'http://localhost'): FakePage & Connection {
  const page = {
    session,
    remoteAddress: '127.0.0.1',
    origin,
    frames: [] as Uint8Array[],
    terminated: false,
    deliver(frame: { bytes: Uint8Array }) {
      page.frames.push(frame.bytes);
      return 'sent';
    },
    terminate() {
      page.terminated = true;
    },
  };
  return page as unknown as FakePage & Connection;
}

const LIMITS: SessionLimits = { sessionTimeout: 60_000, maxBytes: 1 << 20, maxSessions: 100, maxSessionsPerSource: 100, maxTotalBytes: 1 << 22 };

function logs(limits: Partial<SessionLimits> = {}) {
  const overflows: string[] = [];
  const sessions = new SessionLogs({ ...LIMITS, ...limits }, { overflow: (_page, _session, reason) => void overflows.push(reason) });
  return { sessions, overflows };
}

function texts(page: FakePage): [number | undefined, string][] {
  return page.frames
    .map((bytes) => decodeFrame(bytes))
    .filter((frame) => frame.type === FrameType.String)
    .map((frame) => [frame.seq, new TextDecoder().decode(frame.bytes)]);
}

const message = (text: string) => hiseMessage('t', text, () => 0);

describe('SessionLogs', () => {
  it('charges a message held by many logs once, plus one entry each, and lets it go when all have acknowledged', () => {
    const { sessions } = logs();
    const pages = ['a', 'b', 'c'].map((id) => fakePage(id.repeat(32)));
    for (const page of pages) sessions.attach(page);
    for (const page of pages) sessions.detach(page);
    const m = message('x'.repeat(1000));
    sessions.holdForAbsent(m);
    expect(sessions.stats).toEqual({ sessions: 3, messages: 1, bytes: m.sequencedBytes + 3 * SESSION_ENTRY_BYTES });
    const back = pages.map((page) => fakePage(page.session));
    for (const page of back) sessions.attach(page);
    for (const page of back) expect(texts(page)).toEqual([[1, 'x'.repeat(1000)]]);
    sessions.acknowledge(back[0]!, 1);
    sessions.acknowledge(back[1]!, 1);
    expect(sessions.stats.messages).toBe(1);
    sessions.acknowledge(back[2]!, 1);
    expect(sessions.stats).toEqual({ sessions: 3, messages: 0, bytes: 0 });
  });

  it('a connection replaced by a newer one of its session gets nothing more, and the log gets nothing twice', () => {
    const { sessions } = logs();
    const old = fakePage('d'.repeat(32));
    sessions.attach(old);
    const newer = fakePage(old.session);
    sessions.attach(newer);
    expect(old.terminated).toBe(true);
    // The host still has the old page in its list until its close event: a broadcast reaches both.
    const m = message('once');
    sessions.deliver(old, m);
    sessions.deliver(newer, m);
    expect(texts(old)).toEqual([]);
    expect(texts(newer)).toEqual([[1, 'once']]);
    expect(sessions.stats).toEqual({ sessions: 1, messages: 1, bytes: m.sequencedBytes + SESSION_ENTRY_BYTES });
    sessions.acknowledge(old, 1); // an ack from the replaced connection does not count
    expect(sessions.stats.messages).toBe(1);
    sessions.acknowledge(newer, 1);
    expect(sessions.stats.bytes).toBe(0);
  });

  it('forgetting a session releases what it held; the total bound forgets absent sessions first', () => {
    const one = message('y'.repeat(4000));
    const { sessions, overflows } = logs({ maxTotalBytes: 3 * (one.sequencedBytes + SESSION_ENTRY_BYTES) });
    const connected = fakePage('e'.repeat(32));
    sessions.attach(connected);
    const absent = ['1', '2'].map((c) => fakePage(c.repeat(32)));
    for (const page of absent) {
      sessions.attach(page);
      sessions.detach(page);
    }
    for (let i = 0; i < 3; i++) {
      const m = message(`${i}`.repeat(4000));
      sessions.holdForAbsent(m);
      sessions.deliver(connected, m);
      sessions.acknowledge(connected, i + 1);
    }
    expect(overflows.every((reason) => reason.includes('maxSessionBytes'))).toBe(true);
    expect(overflows.length).toBeGreaterThan(0);
    expect(connected.terminated).toBe(false);
    expect(sessions.stats.bytes).toBeLessThanOrEqual(3 * (one.sequencedBytes + SESSION_ENTRY_BYTES));
    sessions.clear();
    expect(sessions.stats).toEqual({ sessions: 0, messages: 0, bytes: 0 });
  });
});
