import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebView } from '../../src/host/index.js';
import { HUB_HELLO_TIMEOUT_MS, MAX_MEMBER_BACKLOG_BYTES, MAX_PENDING_JOINS } from '../../src/host/shared-port/hub.js';
import { loadSecret, newNonce } from '../../src/host/shared-port/secret.js';
import { encodeHubData, HUB_BUSY_HEADER, HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL, HubOp, type HubDataHeader } from '../../src/protocol/hub.js';
import { until } from '../helpers/node-client.js';
import { collectGarbage } from './helpers.js';
import { freePort, InstanceProcess, type InstanceEvent } from '../shared-port/instance-handle.js';
import { joinRaw, rawHub, type RawHub } from '../shared-port/raw-peers.js';

// Issue 23: the shared port attacked. Rows SP1–SP4 of docs/BAD-INPUT.md, each with real instance
// processes (test/shared-port/instance-process.mjs) or a real hub, and raw peers that know the
// user's secret where the attacker is a process of the same user.

const RELAY = fileURLToPath(new URL('../shared-port/relay-process.mjs', import.meta.url));
const dirs: string[] = [];
const secretDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'hise-sp-attack-'));
  dirs.push(dir);
  return dir;
};
const processes: InstanceProcess[] = [];
const children: ChildProcess[] = [];
const hosts: WebView[] = [];
const sockets: WebSocket[] = [];
const hubs: RawHub[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(processes.splice(0).map((p) => p.stop()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const errorsOf = (p: InstanceProcess, code: string): InstanceEvent[] => p.events.filter((e) => e.ev === 'error' && e.code === code);
const alive = (p: InstanceProcess): boolean => p.child.exitCode === null && p.child.signalCode === null;
const id16 = (c: string): string => c.repeat(16);
const frame = (header: Record<string, unknown>, value: unknown = 'v', op: number = HubOp.Send): Uint8Array => encodeHubData(op as HubOp, 0, header as unknown as HubDataHeader, value);

describe('SP1: a relayed handshake', () => {
  it('SP1 another user\'s process relaying a joiner to a hub of the same user on another port: nobody is admitted, nothing leaks (three processes)', async () => {
    const dir = secretDir();
    const hubPort = await freePort();
    const hub = new InstanceProcess(hubPort, dir);
    processes.push(hub);
    expect((await hub.started()).role).toBe('hub');
    await hub.command('retain', { ids: ['preset'] });
    await hub.command('send', { api: 'any', id: 'preset', data: 'the retained preset' });
    for (const mode of ['relay', 'rewrite']) {
      // The outsider holds the port a second group of the same user will use, before that group starts.
      const relayPort = await freePort();
      const relay = fork(RELAY, [String(relayPort), String(hubPort), mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(relay);
      const seen: Record<string, unknown>[] = [];
      relay.on('message', (event: Record<string, unknown>) => seen.push(event));
      await until(() => seen.some((e) => e.ev === 'listening'), 10_000, 'the relay listening');
      const joiner = new InstanceProcess(relayPort, dir);
      processes.push(joiner);
      // The joiner checks the hub's proof against the port it dialled: the relayed challenge fails, it sends nothing else.
      await expect(joiner.started()).rejects.toMatchObject({ code: 'PORT_IN_USE' });
      expect(seen.some((e) => e.ev === 'from-hub' && String(e.text).includes('"challenge"'))).toBe(true); // the relay did reach the hub
      expect(seen.filter((e) => e.ev === 'from-joiner')).toEqual([]); // no hello ever left the joiner
      expect(seen.some((e) => e.ev === 'from-hub' && (e.binary === true || String(e.text).includes('"welcome"')))).toBe(false);
      const state = await hub.state();
      expect(state.list).toHaveLength(1);
      expect(hub.events.filter((e) => e.ev === 'join')).toEqual([]);
      relay.kill('SIGKILL');
    }
    expect(alive(hub)).toBe(true);
  }, 90_000);

  it('SP1 the hub checks every hello field against the proof: a changed private port or id, or a proof for another port, is refused 4401', async () => {
    const dir = secretDir();
    const hub = new WebView({ shared: true, sharedDirectory: dir });
    hosts.push(hub);
    const errors: string[] = [];
    hub.on('error', (error) => errors.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    const secret = loadSecret(dir);
    const tampers: ((hello: Record<string, unknown>) => void)[] = [
      (hello) => (hello.port = 4242), // what a relay would write to have pages piped to itself
      (hello) => (hello.id = id16('e')),
    ];
    for (const tamper of tampers) {
      const refused = await joinRaw(port, secret, id16('d'), { privatePort: 40000, tamper }).then(
        () => undefined,
        (error: { closeCode?: number }) => error.closeCode,
      );
      expect(refused).toBe(4401);
    }
    // A proof made for another port (the relay's) than the hub's own.
    const other = await joinRaw(port + 1 > 65535 ? port - 1 : port + 1, secret, id16('d')).catch((error: Error) => error);
    expect(other).toBeInstanceOf(Error);
    await until(() => errors.filter((c) => c === 'HUB_PROTOCOL_ERROR').length >= 2, 5000, 'the refusals reported');
    expect(hub.instances!.list).toHaveLength(1);
    // The untampered handshake is admitted.
    const member = await joinRaw(port, secret, id16('d'), { privatePort: 40000 });
    sockets.push(member.ws);
    expect(hub.instances!.list).toHaveLength(2);
  });
});

describe('SP2: hub frames with fields of the wrong type', () => {
  it('SP2 "p": null and every other field of the wrong type: HUB_PROTOCOL_ERROR at the hub, never forwarded, every process lives', async () => {
    const dir = secretDir();
    const port = await freePort();
    const hub = new InstanceProcess(port, dir);
    processes.push(hub);
    const hubState = await hub.started();
    const member = new InstanceProcess(port, dir);
    processes.push(member);
    const memberState = await member.started();
    expect(memberState.role).toBe('member');
    const secret = loadSecret(dir);
    const attacker = id16('a');
    let s = 0;
    // Headers of the wrong shape: the attacker's link is closed (1002) after each; it joins again.
    const badHeaders: Record<string, unknown>[] = [
      { o: attacker, s: 1, p: null },
      { o: attacker, s: 1, p: { instance: attacker, id: 'x', path: 1, extended: 'yes' } },
      { o: attacker, s: 1, p: [] },
      { o: attacker, s: '1' },
      { o: attacker, s: 1.5 },
      { o: attacker, s: -1 },
      { o: attacker, s: 1, id: 5 },
      { o: attacker, s: 1, m: null },
      { o: attacker, s: 1, m: { time: 'now' } },
      { o: null, s: 1 },
      { o: attacker, s: 1, p: { instance: hubState.self, id: 1, path: '/', extended: true } }, // a page of another instance
    ];
    for (const header of badHeaders) {
      const raw = await joinRaw(port, secret, attacker);
      sockets.push(raw.ws);
      const closed = new Promise<number>((resolve) => raw.ws.once('close', (code: number) => resolve(code)));
      raw.ws.send(frame(header, { n: 1 }, header.p === undefined ? HubOp.Send : HubOp.PageMessage));
      expect(await closed).toBe(1002);
      await until(() => hub.events.filter((e) => e.ev === 'leave').length >= badHeaders.indexOf(header) + 1, 10_000, 'the attacker gone');
    }
    // Control messages of the wrong shape and undecodable values: reported, the link kept, nothing forwarded.
    const raw = await joinRaw(port, secret, attacker);
    sockets.push(raw.ws);
    const badControls = [
      { t: 'msg', from: attacker, to: null, id: 'x', data: 1 },
      { t: 'msg', from: attacker, to: '*', id: 5, data: 1 },
      { t: 'msg', from: attacker, to: '*', id: 'x' },
      { t: 'page-gone', instance: attacker, page: 'x' },
      { t: 'page-gone', instance: null, page: 1 },
      { t: 'ack', s: null },
      { t: null },
      { t: 'members', hub: attacker, members: null },
      [],
      null,
      'text',
    ];
    for (const message of badControls) raw.ws.send(JSON.stringify(message));
    raw.ws.send('{not json');
    const badValue = frame({ o: attacker, s: ++s, id: 'x' }, 'v');
    badValue[badValue.length - 1] = 0xff; // invalid UTF-8
    raw.ws.send(badValue);
    const unknownType = frame({ o: attacker, s: ++s, id: 'x' }, 'v');
    unknownType[2] = 42;
    raw.ws.send(unknownType);
    const expected = badHeaders.length + badControls.length + 3;
    await until(() => errorsOf(hub, 'HUB_PROTOCOL_ERROR').length >= expected, 10_000, 'every bad input reported at the hub');
    // Still one link, still carrying: a good message from the attacker and one from the hub reach the member.
    raw.ws.send(JSON.stringify({ t: 'msg', from: attacker, to: memberState.self, id: 'after', data: 1 }));
    await hub.command('instanceSend', { to: memberState.self, id: 'from-hub', data: 2 });
    await member.waitFor((e) => e.ev === 'instance-message' && e.id === 'after', 10_000, 'the good message');
    await member.waitFor((e) => e.ev === 'instance-message' && e.id === 'from-hub', 10_000, 'the hub message');
    expect(raw.ws.readyState).toBe(WebSocket.OPEN);
    expect(errorsOf(member, 'HUB_PROTOCOL_ERROR')).toEqual([]); // nothing bad was forwarded to it
    expect(member.events.filter((e) => e.ev === 'instance-message').map((e) => e.id)).toEqual(['after', 'from-hub']);
    expect([alive(hub), alive(member)]).toEqual([true, true]);
  }, 90_000);

  it('SP2 a hub that sends a member "p": null and control messages of the wrong type: the member reports HUB_PROTOCOL_ERROR and lives', async () => {
    const dir = secretDir();
    const hubId = id16('b');
    const fake = await rawHub(loadSecret(dir), hubId);
    hubs.push(fake);
    const member = new InstanceProcess(fake.port, dir);
    processes.push(member);
    const state = await member.started();
    expect(state.role).toBe('member');
    const link = await fake.member;
    const bad: (string | Uint8Array)[] = [
      frame({ o: hubId, s: 1, p: null }, 'x', HubOp.PageMessage),
      frame({ o: hubId, s: 2, p: { instance: hubId, id: -1, path: '/', extended: true } }, 'x', HubOp.PageMessage),
      frame({ o: hubId, s: 'x' }),
      JSON.stringify({ t: 'members', hub: null, members: [] }),
      JSON.stringify({ t: 'members', hub: hubId, members: [{ id: 1, order: 'x' }] }),
      JSON.stringify({ t: 'ack', s: 'x' }),
      JSON.stringify({ t: 'msg', from: null, to: state.self, id: 'x', data: 1 }),
      JSON.stringify({ t: 'page-gone', instance: hubId, page: null }),
      'null',
      '{',
    ];
    for (const message of bad) link.send(message);
    link.send(JSON.stringify({ t: 'msg', from: hubId, to: state.self, id: 'after', data: 1 }));
    await member.waitFor((e) => e.ev === 'instance-message' && e.id === 'after', 10_000, 'the good message after the bad');
    await until(() => errorsOf(member, 'HUB_PROTOCOL_ERROR').length >= bad.length, 10_000, 'each reported');
    expect(alive(member)).toBe(true);
    expect((await member.state()).role).toBe('member');
  }, 60_000);
});

describe('SP3: silent joiners', () => {
  it(`SP3 ${MAX_PENDING_JOINS} silent connections do not stop a fifth instance of the user from joining in its normal start time; they are cut after ${HUB_HELLO_TIMEOUT_MS} ms`, async () => {
    const dir = secretDir();
    const port = await freePort();
    const hub = new InstanceProcess(port, dir);
    processes.push(hub);
    await hub.started();
    const silentClosed: Promise<number>[] = [];
    for (let i = 0; i < MAX_PENDING_JOINS; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: newNonce() } });
      ws.on('error', () => undefined);
      sockets.push(ws);
      await new Promise((resolve) => ws.once('message', resolve)); // challenged; says nothing
      silentClosed.push(new Promise((resolve) => ws.once('close', (code: number) => resolve(code))));
    }
    // Every slot taken: a further joiner is told "busy", not refused as foreign.
    const probe = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: newNonce() } });
    probe.on('error', () => undefined);
    const busy = await new Promise<[number | undefined, unknown]>((resolve) => probe.once('unexpected-response', (_request, response) => resolve([response.statusCode, response.headers[HUB_BUSY_HEADER]])));
    expect(busy).toEqual([503, '1']);
    probe.terminate();
    const started = performance.now();
    const fifth = new InstanceProcess(port, dir);
    processes.push(fifth);
    const state = await fifth.started();
    const took = performance.now() - started;
    console.log(`SP3: the fifth instance joined ${Math.round(took)} ms after it was started, behind ${MAX_PENDING_JOINS} silent joiners`);
    expect(state.role).toBe('member');
    // Its normal start time is a process start plus a join; behind the silent ones, at most one hello timeout more.
    expect(took).toBeLessThan(15_000);
    const codes = await Promise.all(silentClosed);
    expect(codes.every((code) => code === 4401 || code === 1006)).toBe(true);
    expect(errorsOf(hub, 'HUB_PROTOCOL_ERROR').length).toBeGreaterThanOrEqual(MAX_PENDING_JOINS);
  }, 60_000);
});

describe('SP4: a member that does not read', () => {
  it('SP4 control messages to a frozen member cost the hub at most the documented backlog, then it is cut off; wv.instances.send then says false', async () => {
    const dir = secretDir();
    const hub = new WebView({ shared: true, sharedDirectory: dir });
    hosts.push(hub);
    const errors: string[] = [];
    hub.on('error', (error) => errors.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    const frozen = await joinRaw(port, loadSecret(dir), id16('f'));
    sockets.push(frozen.ws);
    (frozen.ws as unknown as { _socket: { pause(): void } })._socket.pause(); // a process stopped in a debugger
    await until(() => hub.instances!.list.length === 2);
    const message = 'x'.repeat(1024 * 1024);
    // What the hub holds for the member: its queued frames, as strings (heap) or buffers; measured after a GC each time.
    const held = (): number => {
      collectGarbage();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const baseline = held();
    let peak = 0;
    let accepted = 0;
    for (let i = 0; i < 200; i++) {
      if (!hub.instances!.send(frozen.id, 'big', { i, pad: message })) break; // a new 1 MiB text each time
      accepted++;
      peak = Math.max(peak, held() - baseline);
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve)); // let the socket write what the kernel takes
    }
    console.log(`SP4: ${accepted} messages of 1 MiB accepted for the frozen member before it was cut off; heap + ArrayBuffer memory after GC peaked ${(peak / 1048576).toFixed(1)} MiB above the start (backlog bound ${MAX_MEMBER_BACKLOG_BYTES / 1048576} MiB)`);
    expect(accepted).toBeLessThan(200);
    // The bound, plus the message that crossed it, plus a few MiB of the test process's own noise.
    expect(peak).toBeLessThanOrEqual(MAX_MEMBER_BACKLOG_BYTES + 1024 * 1024 + 6 * 1024 * 1024);
    expect(errors).toContain('HUB_PROTOCOL_ERROR');
    await until(() => hub.instances!.list.length === 1, 5000, 'the frozen member cut off');
    expect(hub.instances!.send(frozen.id, 'more', 1)).toBe(false);
  }, 60_000);

  it('SP4 an instance message over maxPayload is refused with MESSAGE_TOO_LARGE at the sender, and dropped at the hub when a member sends one', async () => {
    const dir = secretDir();
    const hub = new WebView({ shared: true, sharedDirectory: dir, maxPayload: 100_000 });
    const other = new WebView({ shared: true, sharedDirectory: dir, maxPayload: 100_000 });
    hosts.push(hub, other);
    const errors: string[] = [];
    hub.on('error', (error) => errors.push(error.code));
    const port = await hub.setEnableWebSocket(0);
    await other.setEnableWebSocket(port);
    expect(() => other.instances!.send(hub.instances!.self, 'big', 'x'.repeat(150_000))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
    const got: string[] = [];
    other.instances!.on('message', (id) => got.push(id));
    const raw = await joinRaw(port, loadSecret(dir), id16('c'));
    sockets.push(raw.ws);
    raw.ws.send(JSON.stringify({ t: 'msg', from: raw.id, to: '*', id: 'big', data: 'x'.repeat(150_000) }));
    raw.ws.send(JSON.stringify({ t: 'msg', from: raw.id, to: '*', id: 'small', data: 1 }));
    await until(() => got.includes('small'), 5000, 'the small one');
    expect(got).toEqual(['small']);
    expect(errors).toContain('MESSAGE_TOO_LARGE');
  });
});
