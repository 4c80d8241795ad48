#!/usr/bin/env node
// Fuzzes the decoders of both directions and a live host with random and mutated frames
// (truncations, flipped bytes, huge length fields, invalid UTF-8, broken JSON and calls).
//
//   node scripts/fuzz.mjs [--count N] [--live N] [--http N] [--hub N] [--only frames|http|hub] [--seed S] [--json]
//
// --count: frames through the decoders (default 1 000 000); --live: frames sent to the live host
// (default: --count). Every decoder failure must be a ProtocolError; every frame the host refuses must
// come back as a coded `error` event, exactly as many per code as the same decoders predict; at the
// end a fresh client must still get a round trip. --http: random and mutated HTTP requests and
// upgrades against a live host serving a root (default 100 000, half with enableCache off, half on;
// see fuzz-http.mjs): every answer a well-formed status line or a clean close, never a 500 nor a
// secret of the root, the host process alive, its heap back after a GC. --hub: random and mutated
// hub frames, control messages and handshakes against a live hub with two joined member processes
// (default 100 000; see fuzz-hub.mjs): links closed exactly where the protocol says, every rejection
// reported, nothing undecodable forwarded, every process alive, memory back after a GC. --only runs one part.
// Exit code 1 otherwise. Needs `npm run build`.
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { WebSocket } from 'ws';
import { DEFAULT_OPTIONS, WebView } from '../dist/host/index.js';
import { SessionLedger } from '../dist/host/delivery/sessions.js';
import { fuzzHttp } from './fuzz-http.mjs';
import { fuzzHub } from './fuzz-hub.mjs';
import { prng } from './prng.mjs';
import {
  decodeFrame,
  decodeMessage,
  encodeCall,
  encodeFloat32,
  encodeFrame,
  encodeString,
  FrameType,
  interpretPageText,
  ProtocolError,
  readAck,
  readCall,
  readParameterJson,
  checkParameterOp,
  readPayload,
  readReply,
  SUBPROTOCOL,
} from '../dist/protocol/index.js';

const args = parseArgs(process.argv.slice(2));
const COUNT = args.count ?? 1_000_000;
const LIVE = args.live ?? COUNT;
const SEED = args.seed ?? 0x9e3779b9;
const HTTP = args.http ?? 100_000;
const HUB = args.hub ?? 100_000;
const ONLY = args.only;
/** Small, so that oversized frames are cheap to make. */
const MAX_PAYLOAD = 64 * 1024;
const EXTENDED_CLIENTS = 4;
const LEGACY_CLIENTS = 2;
/** Numbers further past a connection's last one than this are refused (the live host keeps the default). */
const SEQUENCE_WINDOW = DEFAULT_OPTIONS.sequenceWindow;
/** Frames a client writes before waiting for its socket to take them. */
const BATCH = 512;

// ---- seeded randomness, so a failure can be replayed with --seed ----
const { next, int, pick } = prng(SEED);
function bytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(256);
  return out;
}

// ---- frame generators ----
const IDS = ['', 'a', 'gain', 'scope/0', 'é→', '$callback', '__proto__', 'x'.repeat(40)];
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

function dataFor(type) {
  switch (type) {
    case FrameType.String:
      return pick(['', 'hello', 'Grüße', '{"a":1}', 'x'.repeat(int(300))]);
    case FrameType.Json:
      return pick(['{"gain":-6}', '[1,2,3]', 'null', '"s"', '{"a":', '[1,,2]', '{"__proto__":{"p":1}}', '']);
    case FrameType.Call:
      return pick([`{"c":${int(1e6)},"a":[]}`, `{"c":${int(9)},"a":[1,"two"]}`, '{"c":-1,"a":[]}', '{"c":1}', '{"a":[]}', '[]', 'nope']);
    case FrameType.Result:
    case FrameType.Error:
      return pick([`{"c":${int(1e6)},"v":1}`, `{"c":${int(9)},"e":{"message":"m"}}`, '{"c":"x"}', '{}']);
    case FrameType.Ack:
      return bytes(pick([4, 4, 3, 5]));
    default:
      return bytes(int(8) * pick([1, 2, 4, 8]) + (next() < 0.2 ? int(8) : 0));
  }
}

function validExtended() {
  const type = pick(Object.values(FrameType));
  const id = type === FrameType.Call ? pick(['echo', 'missing', '__proto__', 'constructor', 'toString']) : pick(IDS);
  const options = { align: true };
  if (type <= FrameType.Float64 && next() < 0.5) options.seq = int(2000);
  return encodeFrame(type, id, dataFor(type), options);
}

function validHise() {
  return next() < 0.5 ? encodeString(pick(IDS), dataFor(FrameType.String)) : encodeFloat32(pick(IDS), new Float32Array(int(16)));
}

/** One mutation of a well-formed frame, or pure noise. */
function mutate(frame) {
  const out = frame.slice();
  const view = new DataView(out.buffer);
  const idLength = out.length >= 3 ? out[1] | (out[2] << 8) : 0;
  const sizeOffset = 3 + idLength;
  switch (int(10)) {
    case 0:
      return out; // well-formed
    case 1:
      return out.subarray(0, int(out.length)); // truncated
    case 2: {
      for (let flips = 1 + int(3); flips > 0; flips--) out[int(out.length)] ^= 1 << int(8);
      return out;
    }
    case 3: // huge or off-by-one id length
      view.setUint16(1, pick([0, 0xffff, idLength + 1, idLength - 1, int(0x10000)]) & 0xffff, true);
      return out;
    case 4: // huge or off-by-one size
      if (sizeOffset + 4 <= out.length) {
        const size = view.getUint32(sizeOffset, true);
        view.setUint32(sizeOffset, pick([0xffffffff, 0x7fffffff, 0x80000000, size + 1, Math.max(0, size - 1)]) >>> 0, true);
      }
      return out;
    case 5: {
      // invalid UTF-8 over the id or the data
      const bad = pick(INVALID_UTF8);
      const at = next() < 0.5 ? 3 : Math.max(3, out.length - bad.length);
      out.set(bad.slice(0, Math.max(0, out.length - at)), at);
      return out;
    }
    case 6:
      return concat(out, bytes(1 + int(8))); // trailing bytes
    case 7:
      out[0] = int(256); // any type byte, sequence flag included
      return out;
    case 8:
      return bytes(int(64)); // noise
    default:
      return bytes(int(8)); // short noise
  }
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// ---- what the decoders say ----
/** `ok` or the ProtocolError code of decoding as a page (HISE's format). */
function pageOutcome(frame) {
  try {
    decodeMessage(frame);
    return 'ok';
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
}

/** What the host's extended receiver does with a frame: delivered, answered, ignored, dropped (a seen seq), or the code it reports. */
function hostOutcome(frame, connection) {
  let decoded;
  try {
    decoded = decodeFrame(frame);
    switch (decoded.type) {
      case FrameType.Call:
        readCall(decoded);
        return 'answered';
      case FrameType.Result:
      case FrameType.Error:
        readReply(decoded);
        return 'ignored';
      case FrameType.Ack:
        readAck(decoded); // an ack of the host's sequenced messages
        return 'ignored';
      case FrameType.StreamAck:
      case FrameType.Subscriptions:
      case FrameType.Visibility:
      case FrameType.TimeSync:
        // Fresh-streams frames (PROTOCOL.md §4.8): these connections never offered them (no ?streams=1).
        return 'INVALID_FRAME/INVALID_CONTROL_FRAME';
      default: {
        // As the receiver does: the number counts as seen first, the payload is read even for a duplicate.
        // A number further past the highest one than the host's sequenceWindow is refused unread. Which
        // numbers are duplicates is the session ledger's to say (runs of delivered numbers, its own unit
        // tests); a page without a session id has a ledger of its own, as here.
        let isNew = true;
        if (decoded.seq !== undefined) {
          connection.ledger ??= new SessionLedger(1, SEQUENCE_WINDOW);
          const verdict = connection.ledger.accept('', decoded.seq);
          if (verdict === 'out-of-window') return 'INVALID_SEQUENCE';
          isNew = verdict === 'new';
        }
        if (decoded.type === FrameType.ParameterOp) return parameterOutcome(decoded, isNew);
        readPayload(decoded);
        return isNew ? 'delivered' : 'dropped';
      }
    }
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return error.code === 'INVALID_JSON' ? 'INVALID_JSON' : `INVALID_FRAME/${error.code}`;
  }
}

/**
 * A parameter operation (PROTOCOL.md §9) to a host that declares no parameter: its JSON is read even
 * for a duplicate; a new one is refused for its shape, or as an unknown parameter (`sync` answers).
 */
function parameterOutcome(decoded, isNew) {
  const data = readParameterJson(decoded);
  if (!isNew) return 'dropped';
  try {
    return checkParameterOp(decoded.id, data).op === 'sync' ? 'ignored' : 'UNKNOWN_PARAMETER';
  } catch {
    return 'INVALID_PARAMETER_MESSAGE';
  }
}

/** Both decoders over `count` frames; also checks the control readers on every frame that decodes. */
function fuzzDecoders(count) {
  const codes = new Map();
  const bump = (key) => codes.set(key, (codes.get(key) ?? 0) + 1);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const frame = mutate(i % 2 === 0 ? validExtended() : validHise());
    try {
      bump(`page: ${pageOutcome(frame)}`);
      const outcome = hostOutcome(frame, { ledger: undefined });
      bump(`host: ${outcome}`);
      if (outcome === 'ignored' || outcome === 'answered') {
        const decoded = decodeFrame(frame);
        if (decoded.type === FrameType.Ack) tryProtocol(() => readAck(decoded));
      }
    } catch (error) {
      fail(`a decoder threw ${error?.name}: ${error?.message} on ${Buffer.from(frame).toString('hex')}`);
    }
  }
  return { codes, seconds: (performance.now() - start) / 1000 };
}

function tryProtocol(run) {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

// ---- the live host ----
function openClient(port, extended) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`, extended ? [SUBPROTOCOL] : []);
  socket.on('error', () => undefined);
  const replies = new Map();
  socket.on('message', (data) => {
    if (!extended) return;
    try {
      const frame = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (frame.type === FrameType.Result || frame.type === FrameType.Error) {
        const reply = readReply(frame);
        replies.get(reply.callId)?.(reply);
      }
    } catch (error) {
      fail(`the host sent a frame its own decoder refuses: ${error.message}`);
    }
  });
  const opened = new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, extended, ledger: undefined, opened, call: (callId) => new Promise((resolve) => replies.set(callId, resolve)) };
}

/** Sends `frames` through one client in batches, waiting for its socket between them. */
async function pump(client, frames) {
  for (let i = 0; i < frames.length; i += BATCH) {
    const batch = frames.slice(i, i + BATCH);
    await new Promise((resolve, reject) => {
      batch.forEach((frame, k) => {
        const last = k === batch.length - 1;
        client.socket.send(frame.data, { binary: frame.binary }, last ? (error) => (error ? reject(error) : resolve()) : undefined);
      });
    });
  }
}

/** A call whose reply proves the host has processed everything the client sent before it. */
async function sync(client, callId) {
  const reply = client.call(callId);
  client.socket.send(encodeCall(callId, 'echo', ['sync']));
  const result = await withTimeout(reply, 30_000, 'a sync call');
  if (!result.ok) fail(`sync call failed: ${result.error.code}`);
}

function legacyFrame() {
  if (next() < 0.5) return { data: bytes(int(40)), binary: true };
  const text = pick(['plain', '', '  {"gain": 1}', '{"gain": ', '[1, 2', '[]', '{"__proto__": {"x": 1}}', ' x', '\t[', 'Grüße']);
  return { data: text, binary: false };
}

function legacyOutcome(frame) {
  if (frame.binary) return frame.data.length % 4 === 0 ? 'delivered' : 'INVALID_FLOAT_PAYLOAD';
  try {
    interpretPageText(frame.data);
    return 'delivered';
  } catch {
    return 'INVALID_JSON';
  }
}

/** Cuts a connection with input that breaks WebSocket itself: invalid UTF-8 in a text frame. */
function protocolBreaker(port) {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.once('data', () => {
      const mask = Buffer.alloc(4); // a zero mask leaves the payload as is
      socket.write(Buffer.concat([Buffer.from([0x81, 0x82]), mask, Buffer.from([0xc3, 0x28])]));
    });
    socket.on('error', () => undefined);
    socket.once('close', resolve);
  });
}

async function oversized(port) {
  const client = openClient(port, true);
  await client.opened;
  const closed = new Promise((resolve) => client.socket.once('close', (code) => resolve(code)));
  client.socket.send(new Uint8Array(MAX_PAYLOAD + 1));
  return closed;
}

async function fuzzHost(count) {
  const wv = new WebView({ maxPayload: MAX_PAYLOAD, heartbeatInterval: 0 });
  const port = await wv.setEnableWebSocket(0);
  const reported = new Map();
  const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  let delivered = 0;
  wv.on('error', (error) => {
    // INVALID_FRAME says which decoding rule failed in its cause; the other codes are their own.
    bump(reported, error.code === 'INVALID_FRAME' && error.cause?.code !== undefined ? `INVALID_FRAME/${error.cause.code}` : error.code);
  });
  wv.setWebSocketCallback(() => void delivered++);
  wv.handle('echo', (...values) => values);

  const clients = [
    ...Array.from({ length: EXTENDED_CLIENTS }, () => openClient(port, true)),
    ...Array.from({ length: LEGACY_CLIENTS }, () => openClient(port, false)),
  ];
  await Promise.all(clients.map((c) => c.opened));

  const expected = new Map();
  let expectDelivered = 0;
  const plans = clients.map(() => []);
  for (let i = 0; i < count; i++) {
    const c = i % clients.length;
    const client = clients[c];
    const frame = client.extended ? { data: mutate(validExtended()), binary: next() > 0.001 } : legacyFrame();
    const outcome = client.extended
      ? frame.binary
        ? hostOutcome(frame.data, client)
        : 'INVALID_FRAME'
      : legacyOutcome(frame);
    if (client.extended && !frame.binary) frame.data = Buffer.from(frame.data).toString('latin1'); // text a page should not send
    if (outcome === 'delivered') expectDelivered++;
    else if (!['answered', 'ignored', 'dropped'].includes(outcome)) bump(expected, outcome);
    plans[c].push(frame);
  }

  const start = performance.now();
  await Promise.all(clients.map((client, c) => pump(client, plans[c])));
  await Promise.all(clients.filter((c) => c.extended).map((client, k) => sync(client, 0xfffffff0 + k)));
  // Legacy clients have no calls: wait until their frames are all accounted for.
  await waitFor(() => delivered >= expectDelivered, 30_000, 'every delivered frame');
  const seconds = (performance.now() - start) / 1000;

  // Connection-level garbage: broken UTF-8 text frames and oversized messages each cost their connection.
  const breakers = Math.max(2, Math.round(count / 50_000));
  for (let i = 0; i < breakers; i++) {
    if (i % 2 === 0) await protocolBreaker(port), bump(expected, 'PAGE_PROTOCOL_ERROR');
    else {
      const code = await oversized(port);
      if (code !== 1009) fail(`an oversized message closed with ${code}, not 1009`);
      bump(expected, 'MESSAGE_TOO_LARGE');
    }
  }
  await waitFor(() => sum(reported) >= sum(expected), 10_000, 'every error event');

  // Still serving: a fresh client of each kind gets a round trip.
  const fresh = openClient(port, true);
  await fresh.opened;
  await sync(fresh, 1);
  const legacy = openClient(port, false);
  await legacy.opened;
  const before = delivered;
  legacy.socket.send('{"fresh":true}');
  await waitFor(() => delivered === before + 1, 5000, 'a fresh legacy message');
  for (const client of [...clients, fresh, legacy]) client.socket.close();
  await wv.close();
  return { reported, expected, delivered, expectDelivered, seconds, breakers };
}

// ---- run ----
async function main() {
  if (ONLY === 'hub') {
    const hub = await fuzzHubMode(HUB);
    const summary = { seed: SEED, hub, failures };
    if (args.json) console.log(JSON.stringify(summary));
    else printHub(hub), printVerdict();
    process.exitCode = failures.length === 0 ? 0 : 1;
    return;
  }
  const http = ONLY === 'frames' ? undefined : await fuzzHttpModes(HTTP);
  if (ONLY === 'http') {
    const summary = { seed: SEED, http, failures };
    if (args.json) console.log(JSON.stringify(summary));
    else printHttp(http), printVerdict();
    process.exitCode = failures.length === 0 ? 0 : 1;
    return;
  }
  const decoders = fuzzDecoders(COUNT);
  const host = await fuzzHost(LIVE);
  const hub = ONLY === 'frames' ? undefined : await fuzzHubMode(HUB);
  const mismatches = [...new Set([...host.reported.keys(), ...host.expected.keys()])].filter(
    (code) => (host.reported.get(code) ?? 0) !== (host.expected.get(code) ?? 0),
  );
  if (host.delivered !== host.expectDelivered + 1) fail(`delivered ${host.delivered}, expected ${host.expectDelivered + 1}`);
  for (const code of mismatches) fail(`host reported ${host.reported.get(code) ?? 0} × ${code}, the decoders predict ${host.expected.get(code) ?? 0}`);

  const summary = {
    seed: SEED,
    decoders: { frames: COUNT, seconds: round(decoders.seconds), perSecond: Math.round(COUNT / decoders.seconds), outcomes: Object.fromEntries(sorted(decoders.codes)) },
    host: {
      frames: LIVE,
      connectionBreakers: host.breakers,
      seconds: round(host.seconds),
      perSecond: Math.round(LIVE / host.seconds),
      delivered: host.delivered,
      errorEvents: Object.fromEntries(sorted(host.reported)),
      stillServing: true,
    },
    ...(http === undefined ? {} : { http }),
    ...(hub === undefined ? {} : { hub }),
    failures,
  };
  if (args.json) console.log(JSON.stringify(summary));
  else print(summary), printHttp(http), printHub(hub), printVerdict();
  process.exitCode = failures.length === 0 ? 0 : 1;
}

function print(summary) {
  const { decoders, host } = summary;
  console.log(`decoders: ${decoders.frames} frames in ${decoders.seconds} s (${decoders.perSecond}/s), seed ${summary.seed}`);
  for (const [code, n] of Object.entries(decoders.outcomes)) console.log(`  ${code.padEnd(44)} ${String(n).padStart(9)}`);
  console.log(`live host: ${host.frames} frames in ${host.seconds} s (${host.perSecond}/s) over ${EXTENDED_CLIENTS} extended + ${LEGACY_CLIENTS} legacy clients, ${host.connectionBreakers} connection breakers`);
  console.log(`  ${'delivered'.padEnd(44)} ${String(host.delivered).padStart(9)}`);
  for (const [code, n] of Object.entries(host.errorEvents)) console.log(`  ${code.padEnd(44)} ${String(n).padStart(9)}`);
  if (summary.failures.length === 0) console.log('OK: every rejection was a coded error, as predicted; a fresh client still got a round trip');
}

/** The HTTP fuzz with enableCache off, then on, half of `count` each; their failures join the run's. */
async function fuzzHttpModes(count) {
  if (count === 0) return undefined;
  const runs = [];
  for (const cache of [false, true]) {
    const run = await fuzzHttp({ count: cache ? count - Math.floor(count / 2) : Math.floor(count / 2), seed: SEED + (cache ? 1 : 0), cache });
    for (const message of run.failures) fail(`http (enableCache ${cache}): ${message}`);
    runs.push(run);
  }
  return runs;
}

function printHttp(runs) {
  for (const run of runs ?? []) {
    const { memory: m } = run;
    console.log(`http, enableCache ${run.cache}: ${run.requests} requests in ${run.seconds} s (${run.perSecond}/s); host ${run.hostExited ? 'EXITED' : 'alive'}`);
    console.log(`  statuses ${JSON.stringify(run.statuses)}, closed without an answer ${run.closedWithoutAnswer}`);
    console.log(`  error events ${JSON.stringify(run.hostErrorEvents)}, refused ${JSON.stringify(run.refused)}, pages connected ${run.connects}`);
    console.log(`  host memory after GC: RSS ${m.rssBeforeMiB} → ${m.rssAfterMiB} MiB, heap ${m.heapBeforeMiB} → ${m.heapAfterMiB} MiB`);
  }
}

/** The hub fuzz; its failures join the run's. */
async function fuzzHubMode(count) {
  if (count === 0) return undefined;
  const run = await fuzzHub({ count, seed: SEED });
  for (const message of run.failures) fail(`hub: ${message}`);
  return run;
}

function printHub(run) {
  if (run === undefined) return;
  console.log(`hub: ${run.frames} frames (${run.binary} binary, ${run.text} text) and ${run.handshakes} handshakes in ${run.seconds} s (${run.perSecond}/s); every process ${run.alive ? 'alive' : 'NOT alive'}`);
  console.log(`  predicted ${JSON.stringify(run.predicted)}`);
  console.log(`  links closed ${JSON.stringify(run.linksClosed)}, re-joins ${run.rejoins}, handshakes ${JSON.stringify(run.handshakeOutcomes)}`);
  console.log(`  hub error events ${JSON.stringify(run.hubErrorEvents)}; members' ${JSON.stringify(run.memberErrorEvents)}`);
  for (const m of run.memory) console.log(`  ${m.instance} memory after GC: RSS ${m.rssBeforeMiB} → ${m.rssAfterMiB} MiB, heap ${m.heapBeforeMiB} → ${m.heapAfterMiB} MiB`);
}

function printVerdict() {
  if (failures.length > 0) console.log(`FAILED:\n  ${failures.join('\n  ')}`);
  else console.log('OK');
}

const failures = [];
function fail(message) {
  if (failures.length < 20) failures.push(message);
}

function sum(map) {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}
const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
const round = (x) => Math.round(x * 100) / 100;

async function waitFor(predicate, timeoutMs, what) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) {
      fail(`timed out waiting for ${what}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))),
  ]);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') out.json = true;
    else if (flag === '--only') {
      const value = argv[++i];
      if (value !== 'frames' && value !== 'http' && value !== 'hub') throw new Error('--only takes frames, http or hub');
      out.only = value;
    } else if (['--count', '--live', '--seed', '--http', '--hub'].includes(flag)) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a non-negative integer`);
      out[flag.slice(2)] = value;
    } else throw new Error(`unknown option ${flag}; usage: node scripts/fuzz.mjs [--count N] [--live N] [--http N] [--hub N] [--only frames|http|hub] [--seed S] [--json]`);
  }
  return out;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
