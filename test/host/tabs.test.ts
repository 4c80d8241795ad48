import { describe, expect, it } from 'vitest';
import type { CallError } from '../../src/host/index.js';
import { FrameType } from '../../src/protocol/index.js';
import { openPage, RawPage } from '../hardening/helpers.js';
import { startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';

// Tabs seen from Node: connections with one tab id are one page; calls to a tab find its connection.

const TAB = 'n'.repeat(22);

describe('calls to a tab', () => {
  it("go out at once, in order with what follows (a restart's begin precedes the new module's calls)", async () => {
    const { wv, port } = await startHost();
    const bridge = await openPage(wv, port, { query: `?bridge=1&tab=${TAB}` });
    const [page] = wv.pages;
    void wv.call(page!, '$first').catch(() => undefined);
    void wv.callFunction('second');
    await until(() => bridge.frames.filter((f) => f.type === FrameType.Call).length === 2);
    expect(bridge.frames.filter((f) => f.type === FrameType.Call).map((f) => f.id)).toEqual(['$first', '$callFunction']);
  });

  it("wait for a bridged tab's client up to callTimeout; DISCONNECTED when the tab goes meanwhile; NOT_SUPPORTED for HISE's format", async () => {
    const { wv, port } = await startHost({ callTimeout: 300 });
    const bridge = await openPage(wv, port, { query: `?bridge=1&tab=${TAB}` });
    const page = wv.pages[0]!;
    await expect(wv.call(page, 'noClientYet')).rejects.toMatchObject({ code: 'CALL_TIMEOUT' });

    const waiting = wv.call(page, 'goneMeanwhile').catch((error: CallError) => error.code);
    bridge.close();
    expect(await waiting).toBe('DISCONNECTED');

    await openPage(wv, port, { query: `?bridge=1&tab=${'m'.repeat(22)}` });
    const legacy = new RawPage(port, { query: `?tab=${'m'.repeat(22)}`, extended: false });
    await legacy.opened;
    const tab = wv.pages.find((p) => p.tab === 'm'.repeat(22))!;
    await until(() => tab.connections.length === 2);
    await expect(wv.call(tab, 'anything')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('reach the client that joins the tab after the bridge', async () => {
    const { wv, port } = await startHost();
    await openPage(wv, port, { query: `?bridge=1&tab=${TAB}` });
    const page = wv.pages[0]!;
    const result = wv.call(page, 'late');
    const client = new RawPage(port, { query: `?tab=${TAB}` });
    await client.opened;
    await until(() => client.frames.some((f) => f.type === FrameType.Call && f.id === 'late'));
    expect(wv.pages).toHaveLength(1);
    client.socket.close(); // no answer: the call ends with the page's client
    await expect(result).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});

describe('what is sent to a tab before its client connects', () => {
  it('sendTo and broadcasts wait for the client (latest per id, once each); the bridge gets none of it', async () => {
    const { wv, port } = await startHost();
    const bridge = await openPage(wv, port, { query: `?bridge=1&tab=${TAB}` });
    const page = wv.pages[0]!;
    expect(wv.sendTo(page, 'direct', 'old')).toBe('queued');
    expect(wv.sendTo(page, 'direct', 'new')).toBe('queued');
    expect(wv.sendToWebsocket('all', 'everyone')).toBe('queued');
    const client = new RawPage(port, { query: `?tab=${TAB}`, extended: false });
    await client.opened;
    await until(() => client.frames.length >= 2);
    expect(wv.sendTo(page, 'direct', 'now')).toBe('sent');
    await until(() => client.frames.length >= 3);
    // 'old' was replaced by 'new' while waiting; what waited for the first page of all comes first, then the tab's own.
    expect(client.frames.map((f) => f.id)).toEqual(['all', 'direct', 'direct']);
    expect(wv.pages).toHaveLength(1);
    expect(bridge.frames.filter((f) => f.id === 'direct' || f.id === 'all')).toEqual([]);
  });
});
