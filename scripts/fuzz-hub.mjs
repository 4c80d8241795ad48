// The hub mode of scripts/fuzz.mjs: random and mutated hub frames (binary data frames with every
// header field of every type, byte-level mutations, text control messages of every kind with every
// field of every type, garbage) from authenticated raw members, and random handshakes (nonce
// headers, Origin, subprotocols, hellos with wrong proofs and fields of the wrong type), against a
// live hub with two joined member instances, each in its own process (fuzz-hub-host.mjs).
// Checked: the hub closes a member's link exactly on the frames the protocol says it must (a
// header that does not check, another instance's name), keeps it on everything else; it reports
// at least as many HUB_PROTOCOL_ERRORs as the rejected frames, messages and handshakes, and exactly
// as many MESSAGE_TOO_LARGE as oversized control messages; the members never get a frame that does
// not decode; every process lives; memory after GC (hub and members) within 16 MiB of the warmed-up
// start; at the end a fresh member joins and a message goes round. Bounded in frames and in time.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { decodeHubData, encodeHubData, HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL, HubOp, parseHubControl, readHubHeader } from '../dist/protocol/hub.js';
import { loadSecret, memberProof, newNonce } from '../dist/host/shared-port/secret.js';
import { prng } from './prng.mjs';

/** The instances' maxPayload: small, so that oversized control messages are cheap to make. */
const MAX_PAYLOAD = 64 * 1024;
/** What the hub's links accept at most (maxPayload + the relay header's slack, hub.ts). */
const RELAY_LIMIT = MAX_PAYLOAD + 70_000;
/** Authenticated raw members sending at once. */
const FUZZERS = 4;
/** Frames a fuzzer sends between two syncs with the hub. */
const BATCH = 256;
/** Frames before the first memory measurement (lazy allocations, JIT). */
const WARM_UP = 2000;
/** Heap growth (after GC) of any instance over the run above which the fuzz fails. */
const MAX_HEAP_GROWTH = 16 * 1024 * 1024;
const WAIT_MS = 10_000;

const hex = (random, n) => Array.from({ length: n }, () => '0123456789abcdef'[random.int(16)]).join('');

/**
 * @param {{ count: number, seed: number, timeLimitMs?: number }} options
 * @returns {Promise<object>} the summary; `failures` is empty when every check held
 */
export async function fuzzHub({ count, seed, timeLimitMs = 45 * 60_000 }) {
  const random = prng(seed);
  const failures = [];
  const fail = (message) => failures.length < 20 && failures.push(message);
  const dir = mkdtempSync(join(tmpdir(), 'hise-fuzz-hub-'));
  const hub = await startInstance(0, dir, fail, 'the hub');
  const port = hub.port;
  const members = [await startInstance(port, dir, fail, 'member 1'), await startInstance(port, dir, fail, 'member 2')];
  const secret = loadSecret(dir);
  const tally = { sent: 0, binary: 0, text: 0, handshakes: 0, breakers: 0, closes: {}, predicted: {}, handshakeOutcomes: {}, rejoins: 0 };
  const bump = (map, key) => (map[key] = (map[key] ?? 0) + 1);
  const deadline = performance.now() + timeLimitMs;
  let syncs = 0;
  const timing = { join: 0, sync: 0, handshake: 0 };
  const closings = [];

  const fuzzers = [];
  for (let i = 0; i < FUZZERS; i++) fuzzers.push(await RawMember.join(port, secret, hex(random, 16)));
  const targets = () => [hub.self, ...members.map((m) => m.self), ...fuzzers.map((f) => f.id), '*'];

  async function sync(fuzzer) {
    const n = ++syncs;
    fuzzer.ws.send(JSON.stringify({ t: 'msg', from: fuzzer.id, to: hub.self, id: 'sync', data: n }));
    const t0 = performance.now();
    const ok = await hub.synced(n, WAIT_MS);
    timing.sync += performance.now() - t0;
    if (!ok) fail(`the hub did not answer sync ${n} within ${WAIT_MS} ms`);
  }

  async function one(fuzzer) {
    const r = random.next();
    if (r < 0.02) {
      tally.handshakes++;
      const t0 = performance.now();
      bump(tally.handshakeOutcomes, await handshake(random, port, secret));
      timing.handshake += performance.now() - t0;
      return [fuzzer, false];
    }
    const isText = r < 0.47;
    const payload = isText ? controlMessage(random, fuzzer, targets()) : dataFrame(random, fuzzer);
    const outcome = isText ? predictText(payload, fuzzer.id) : predictBinary(payload, fuzzer.id);
    bump(tally.predicted, `${isText ? 'text' : 'binary'}/${outcome}`);
    tally.sent++;
    if (isText) tally.text++;
    else tally.binary++;
    if (fuzzer.ws.readyState !== WebSocket.OPEN) return [await rejoin(fuzzer, 'a link closed before a frame could go'), true];
    fuzzer.ws.send(payload, { binary: !isText });
    if (outcome !== 'breaker' && outcome !== 'oversized') return [fuzzer, true];
    tally.breakers++;
    // Checked as it comes (the run goes on with a new link meanwhile): the hub must close this one, with the right code.
    const expected = outcome === 'oversized' ? [1009, 1006] : [1002];
    closings.push(
      fuzzer.closedWithin(WAIT_MS).then((code) => {
        bump(tally.closes, String(code));
        if (!expected.includes(code)) fail(`the hub closed a link on a ${outcome} frame with ${code}, not ${expected.join(' or ')}`);
      }),
    );
    fuzzer.retired = true;
    return [await rejoin(fuzzer), true];
  }

  async function rejoin(fuzzer, unexpected) {
    if (unexpected !== undefined) fail(unexpected);
    tally.rejoins++;
    if (!fuzzer.retired) fuzzer.ws.terminate();
    const t0 = performance.now();
    // A fresh id: the old link may not have left the hub's list yet ("id taken"). A busy hub (503: handshake slots taken) is retried.
    let next;
    for (let attempt = 1; next === undefined; attempt++) {
      next = await RawMember.join(port, secret, hex(random, 16)).catch((error) => {
        if (!/HTTP 503/.test(error.message) || attempt >= 100) throw error;
        return new Promise((resolve) => setTimeout(resolve, 20));
      });
    }
    timing.join += performance.now() - t0;
    fuzzers[fuzzers.indexOf(fuzzer)] = next;
    return next;
  }

  async function run(n) {
    const each = Math.floor(n / FUZZERS);
    await Promise.all(
      fuzzers.map(async (_, k) => {
        let fuzzer = fuzzers[k];
        // `n` counts frames; handshakes (about 2 in 100) come on top.
        for (let i = 0; i < (k === 0 ? n - each * (FUZZERS - 1) : each) && performance.now() < deadline; ) {
          if (fuzzer.ws.readyState !== WebSocket.OPEN) fuzzer = await rejoin(fuzzer, `the hub closed a link on a frame it should have kept it for (${fuzzer.closeCode ?? 'open'})`);
          let frame;
          [fuzzer, frame] = await one(fuzzer);
          if (!frame) continue; // a handshake
          if (i++ % BATCH === BATCH - 1) await sync(fuzzer);
        }
        await sync(fuzzer);
      }),
    );
  }

  const warmUp = Math.min(WARM_UP, Math.floor(count / 10));
  await run(warmUp);
  const before = await measureAll([hub, ...members]);
  const start = performance.now();
  await run(count - warmUp);
  const seconds = (performance.now() - start) / 1000;
  if (performance.now() >= deadline) fail(`the time limit (${timeLimitMs} ms) ran out after ${tally.sent} frames`);
  await Promise.all(closings);
  for (const fuzzer of fuzzers) fuzzer.ws.close();
  await hub.until((m) => m.instances === 3, WAIT_MS, 'the fuzzers gone from the hub');

  // Still serving: a fresh member joins and a message reaches member 1 through the hub.
  const fresh = await RawMember.join(port, secret, hex(random, 16)).catch((error) => fail(`a fresh member could not join: ${error.message}`));
  if (fresh !== undefined) {
    fresh.ws.send(JSON.stringify({ t: 'msg', from: fresh.id, to: members[0].self, id: 'sync', data: -1 }));
    if (!(await members[0].synced(-1, WAIT_MS))) fail('a message from a fresh member did not reach member 1');
    fresh.ws.close();
  }
  const after = await measureAll([hub, ...members]);
  const [hubAfter] = after;
  for (const [i, m] of after.entries()) {
    const name = i === 0 ? 'the hub' : `member ${i}`;
    if (m.heapUsed - before[i].heapUsed > MAX_HEAP_GROWTH) fail(`${name}'s heap grew by ${mib(m.heapUsed - before[i].heapUsed)} MiB over the run (after GC)`);
    if (i > 0 && (m.errors['HUB_PROTOCOL_ERROR/undecodable'] ?? 0) > 0) fail(`${name} got ${m.errors['HUB_PROTOCOL_ERROR/undecodable']} frames that do not decode: the hub forwarded them`);
    if (i > 0 && m.role !== 'member') fail(`${name} is ${m.role}, not a member`);
  }
  const rejected = Object.entries(tally.predicted)
    .filter(([key]) => /\/(breaker|undecodable|reported)$/.test(key))
    .reduce((sum, [, n]) => sum + n, 0) + (tally.handshakeOutcomes['closed-4401'] ?? 0);
  const reported = hubAfter.errors.HUB_PROTOCOL_ERROR ?? 0;
  if (reported < rejected) fail(`the hub reported ${reported} HUB_PROTOCOL_ERRORs for ${rejected} rejected frames, messages and handshakes`);
  if ((hubAfter.errors.MESSAGE_TOO_LARGE ?? 0) !== (tally.predicted['text/too-large'] ?? 0)) {
    fail(`the hub reported ${hubAfter.errors.MESSAGE_TOO_LARGE ?? 0} MESSAGE_TOO_LARGE for ${tally.predicted['text/too-large'] ?? 0} oversized control messages`);
  }
  const alive = [hub, ...members].every((instance) => instance.alive);
  await Promise.all([hub, ...members].map((instance) => instance.close()));
  rmSync(dir, { recursive: true, force: true });
  return {
    frames: tally.sent,
    binary: tally.binary,
    text: tally.text,
    handshakes: tally.handshakes,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round((tally.sent - warmUp) / seconds),
    predicted: tally.predicted,
    linksClosed: tally.closes,
    rejoins: tally.rejoins,
    handshakeOutcomes: tally.handshakeOutcomes,
    hubErrorEvents: hubAfter.errors,
    memberErrorEvents: after.slice(1).map((m) => m.errors),
    memory: after.map((m, i) => ({
      instance: i === 0 ? 'hub' : `member ${i}`,
      rssBeforeMiB: mib(before[i].rss),
      rssAfterMiB: mib(m.rss),
      heapBeforeMiB: mib(before[i].heapUsed),
      heapAfterMiB: mib(m.heapUsed),
    })),
    alive,
    timing: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])),
    failures,
  };
}

const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;

/** An authenticated member written by hand (it knows the user's secret, as any process of the user can). */
class RawMember {
  static join(port, secret, id) {
    const memberNonce = newNonce();
    const ws = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: memberNonce }, maxPayload: 1 << 30 });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no welcome in time')), WAIT_MS);
      ws.once('error', (error) => (clearTimeout(timer), reject(error)));
      ws.once('close', (code) => (clearTimeout(timer), reject(Object.assign(new Error(`closed with ${code} before the welcome`), { closeCode: code }))));
      ws.once('unexpected-response', (_request, response) => (clearTimeout(timer), reject(new Error(`HTTP ${response.statusCode}`))));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const message = JSON.parse(data.toString());
        if (message.t === 'challenge') {
          const proof = memberProof(secret, { hubPort: port, hubNonce: message.nonce, memberNonce }, { id, port: 1 });
          ws.send(JSON.stringify({ t: 'hello', proof, id, port: 1 }));
        } else if (message.t === 'welcome') {
          clearTimeout(timer);
          ws.removeAllListeners('close').removeAllListeners('error').removeAllListeners('message');
          resolve(new RawMember(ws, id));
        }
      });
    });
  }

  constructor(ws, id) {
    this.ws = ws;
    this.id = id;
    this.seq = 0;
    this.closeCode = undefined;
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve((this.closeCode = code))));
  }

  closedWithin(ms) {
    let timer;
    return Promise.race([this.closed, new Promise((resolve) => (timer = setTimeout(() => resolve('open'), ms)))]).finally(() => clearTimeout(timer));
  }
}

// ---- generators ----
const IDS = ['', 'a', 'gain', 'scope/0', 'é→', '__proto__', 'constructor', 'x'.repeat(40)];
/** A value of every JSON type (and a few numbers a field must refuse). */
function anyValue(random) {
  return random.pick([null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, '', 'str', '0123456789abcdef', 'x'.repeat(200), [], [1], {}, { a: 1 }, { __proto__: null, t: 'msg' }, undefined]);
}

function validHeader(random, fuzzer, op) {
  const header = { o: fuzzer.id, s: ++fuzzer.seq };
  if (random.chance(0.9)) header.id = random.pick(IDS);
  if (op === HubOp.PageMessage) {
    header.p = { instance: fuzzer.id, id: random.int(1000), path: random.pick(['/', '/a', '']), extended: random.chance(0.5) };
    if (random.chance(0.3)) header.p.tab = hex(random, 8);
    if (random.chance(0.3)) header.p.origin = 'http://localhost:5173';
  }
  if (random.chance(0.1)) header.m = { time: random.next() * 1000, samplePosition: random.int(1e6) };
  return header;
}

function anyDataValue(random) {
  switch (random.int(7)) {
    case 0:
      return random.pick(['', 'hello', 'Grüße', 'x'.repeat(random.int(300))]);
    case 1:
      return { gain: random.next(), list: [1, 2, 3], nested: { __proto__: null } };
    case 2:
      return new Float32Array(random.int(64));
    case 3:
      return new Int16Array(random.int(16));
    case 4:
      return new Uint8Array(random.int(32));
    case 5:
      return undefined;
    default:
      return [random.int(10), 'two', null];
  }
}

/** A data frame: well-formed, a header field of any type, a byte-level mutation, noise, or (rarely) over the link's limit. */
function dataFrame(random, fuzzer) {
  const op = random.chance(0.02) ? HubOp.State : random.pick([HubOp.Send, HubOp.Send, HubOp.PageMessage]);
  const header = validHeader(random, fuzzer, op);
  const r = random.next();
  if (r < 0.002) return encodeHubData(HubOp.Send, 0, header, 'x'.repeat(RELAY_LIMIT + 16));
  if (r < 0.55) return encodeHubData(op, random.int(4), header, anyDataValue(random));
  if (r < 0.75) {
    // One field of the header, or of its page or meta, of another type (or gone).
    const fields = ['o', 's', 'id', 'p', 'm', 'p.instance', 'p.id', 'p.tab', 'p.origin', 'p.path', 'p.extended', 'm.time', 'm.samplePosition'];
    const field = random.pick(fields);
    const [outer, inner] = field.split('.');
    if (inner === undefined) header[outer] = anyValue(random);
    else {
      header[outer] = typeof header[outer] === 'object' && header[outer] !== null ? { ...header[outer] } : {};
      header[outer][inner] = anyValue(random);
    }
    return encodeHubData(op, 0, header, anyDataValue(random));
  }
  const frame = encodeHubData(op, 0, header, anyDataValue(random)).slice();
  switch (random.int(8)) {
    case 0:
      return frame.subarray(0, random.int(frame.length));
    case 1:
      for (let flips = 1 + random.int(3); flips > 0; flips--) frame[random.int(frame.length)] ^= 1 << random.int(8);
      return frame;
    case 2: {
      const length = random.pick([0, 0xffff, random.int(0x10000), (frame[3] | (frame[4] << 8)) + 1]);
      frame[3] = length & 0xff;
      frame[4] = length >>> 8;
      return frame;
    }
    case 3:
      frame[2] = random.int(256);
      return frame;
    case 4:
      frame[0] = random.int(256);
      return frame;
    case 5: {
      const bad = random.pick([[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]);
      frame.set(bad.slice(0, Math.max(0, frame.length - 5)), Math.max(5, frame.length - bad.length));
      return frame;
    }
    case 6:
      return Uint8Array.from({ length: random.int(64) }, () => random.int(256));
    default: {
      const out = new Uint8Array(frame.length + 1 + random.int(8));
      out.set(frame);
      return out;
    }
  }
}

/** A control message: every kind, well-formed or with a field of any type, oversized, or garbage. */
function controlMessage(random, fuzzer, targets) {
  const r = random.next();
  if (r < 0.01) return JSON.stringify({ t: 'msg', from: fuzzer.id, to: '*', id: 'big', data: 'x'.repeat(MAX_PAYLOAD + random.int(1000)) });
  if (r < 0.06) return random.pick(['', '{', 'null', '[]', '"msg"', '42', '{"t":', '\u0000', '{"t":"msg"}garbage']);
  const kinds = {
    msg: () => ({ t: 'msg', from: fuzzer.id, to: random.pick(targets), id: random.pick(IDS.filter(Boolean)), data: anyValue(random) ?? 1 }),
    'page-gone': () => ({ t: 'page-gone', instance: fuzzer.id, page: random.int(100) }),
    ack: () => ({ t: 'ack', s: 1 + random.int(100) }),
    members: () => ({ t: 'members', hub: fuzzer.id, members: [{ id: fuzzer.id, order: 0 }] }),
    hello: () => ({ t: 'hello', proof: 'f'.repeat(64), id: fuzzer.id, port: 1 }),
    challenge: () => ({ t: 'challenge', nonce: 'a'.repeat(32), proof: 'f'.repeat(64) }),
    welcome: () => ({ t: 'welcome', hub: fuzzer.id, members: [] }),
    bye: () => ({ t: 'bye' }),
    other: () => ({ t: random.pick(['', 'MSG', 'state', '__proto__']) }),
  };
  const message = kinds[random.pick(Object.keys(kinds))]();
  if (random.chance(0.5)) {
    const keys = Object.keys(message);
    const key = random.chance(0.85) ? random.pick(keys) : random.pick(['extra', '__proto__', 'constructor']);
    const value = anyValue(random);
    if (value === undefined) delete message[key];
    else message[key] = value;
  }
  return JSON.stringify(message);
}

// ---- what the protocol says the hub does with them ----
/** `breaker` (link closed 1002), `oversized` (1009), `undecodable` (reported, dropped), `forwarded`. */
function predictBinary(frame, me) {
  if (frame.byteLength > RELAY_LIMIT) return 'oversized';
  let header;
  try {
    header = readHubHeader(frame);
  } catch {
    return 'breaker';
  }
  if (header.o !== me || (header.p !== undefined && header.p.instance !== me) || frame[0] === HubOp.State) return 'breaker';
  try {
    decodeHubData(frame, header);
  } catch {
    return 'undecodable';
  }
  return 'forwarded';
}

/** `too-large` (reported MESSAGE_TOO_LARGE), `accepted` (a member's own `msg` or `page-gone`), `reported`. */
function predictText(text, me) {
  if (Buffer.byteLength(text) > MAX_PAYLOAD) return 'too-large';
  const message = parseHubControl(text);
  if ((message?.t === 'msg' && message.from === me) || (message?.t === 'page-gone' && message.instance === me)) return 'accepted';
  return 'reported';
}

/** One handshake of random shape; its outcome: `http-NNN`, `closed-CODE`, `welcome`, `no-subprotocol`. */
async function handshake(random, port, secret) {
  const memberNonce = random.pick([newNonce(), newNonce(), newNonce(), 'zz', '', hex(random, 31), newNonce().toUpperCase()]);
  const headers = {};
  if (random.chance(0.9)) headers[HUB_NONCE_HEADER] = memberNonce;
  if (random.chance(0.1)) headers.Origin = random.pick([`http://127.0.0.1:${port}`, 'null', 'https://evil.example']);
  const protocol = random.pick([HUB_SUBPROTOCOL, HUB_SUBPROTOCOL, HUB_SUBPROTOCOL, 'hise-webview-hub.1', undefined]);
  const ws = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, protocol === undefined ? [] : [protocol], { headers });
  const id = hex(random, 16);
  const answer = random.int(6);
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('timeout'), WAIT_MS);
    ws.on('error', (error) => finish(/subprotocol/i.test(error.message) ? 'no-subprotocol' : 'error'));
    ws.once('unexpected-response', (_request, response) => finish(`http-${response.statusCode}`));
    ws.once('close', (code) => finish(`closed-${code}`));
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? undefined : JSON.parse(data.toString());
      if (message?.t === 'welcome') return finish('welcome');
      if (message?.t !== 'challenge') return;
      const hello = { t: 'hello', id, port: 1, proof: memberProof(secret, { hubPort: port, hubNonce: message.nonce, memberNonce }, { id, port: 1 }) };
      if (answer === 0) ws.send(JSON.stringify(hello)); // admitted
      else if (answer === 1) ws.send(JSON.stringify({ ...hello, proof: 'f'.repeat(64) }));
      else if (answer === 2) ws.send(JSON.stringify({ ...hello, port: random.pick([0, 65536, '1', null, 1.5]) }));
      else if (answer === 3) ws.send(JSON.stringify({ ...hello, id: random.pick([null, 1, '', 'G'.repeat(16), id.toUpperCase()]) }));
      else if (answer === 4) ws.send(Uint8Array.from({ length: random.int(32) }, () => random.int(256)));
      else ws.send(random.pick(['', '{', 'null', JSON.stringify({ t: 'msg' })]));
    });
  });
}

// ---- the instances, each in its own process ----
function startInstance(port, dir, fail, name) {
  const child = fork(new URL('./fuzz-hub-host.mjs', import.meta.url), [String(port), dir, String(MAX_PAYLOAD)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const instance = { alive: true, port: 0, self: '', syncs: new Set(), measures: [] };
  child.once('exit', (code, signal) => {
    instance.alive = false;
    if (!instance.closing) fail(`${name}'s process exited (${code ?? signal}): ${stderr.slice(-2000)}`);
    for (const waiter of instance.measures.splice(0)) waiter(undefined);
  });
  const waiters = new Set();
  child.on('message', (message) => {
    if (message.sync !== undefined) instance.syncs.add(message.sync);
    else if (message.heapUsed !== undefined) instance.measures.shift()?.(message);
    for (const wake of [...waiters]) wake();
  });
  const waitFor = (predicate, ms) =>
    new Promise((resolve) => {
      const check = () => {
        const met = predicate(); // once: it may consume what it found
        if (met || !instance.alive) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(met);
        }
      };
      const timer = setTimeout(() => (waiters.delete(check), resolve(false)), ms);
      waiters.add(check);
      check();
    });
  instance.synced = (n, ms) => waitFor(() => instance.syncs.delete(n) || false, ms);
  instance.measure = () => new Promise((resolve) => (instance.measures.push(resolve), child.send('measure')));
  instance.until = async (predicate, ms, what) => {
    const start = performance.now();
    while (performance.now() - start < ms) {
      const m = await instance.measure();
      if (m === undefined || predicate(m)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    fail(`timed out waiting for ${what}`);
  };
  instance.close = async () => {
    instance.closing = true;
    if (!instance.alive) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('close');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('message', ({ port: shared, self }) => resolve(Object.assign(instance, { port: shared, self })));
    child.once('exit', () => reject(new Error(`${name} did not start: ${stderr.slice(-2000)}`)));
  });
}

async function measureAll(instances) {
  const out = [];
  for (const instance of instances) out.push((await instance.measure()) ?? { heapUsed: 0, rss: 0, errors: {}, role: undefined });
  return out;
}
