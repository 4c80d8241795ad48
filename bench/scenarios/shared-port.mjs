// Scenario: a shared port (issue 15). Node WebSocket clients stand in for pages (what is measured is
// the hosts' part; the browser's is the same as for one host):
//  - round trip page → instance → page, p50/p99: to a single host vs. to a joined instance (the
//    page's socket piped through the hub, so both ways cross it); "added" is the p50 difference;
//  - throughput of 512-float frames to pages on the hub: sent by the hub vs. by a joined instance
//    (relayed over the hub link); every host runs in its own process, this one only plays pages;
//  - failover: the hub (a child process) SIGKILLed, and closed gracefully: ms until the joined
//    instance holds the port.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { WebView } from '../../dist/host/index.js';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { median, percentile, round } from '../lib/stats.mjs';

const FLOATS = 512;
const PAGES = 2;

const once = (emitter, event) => new Promise((resolve) => emitter.once(event, resolve));

// Every host runs in its own process, as plugin instances do; this process only plays the pages.
const INSTANCE_SCRIPT = `
import { WebView } from ${JSON.stringify(new URL('../../dist/host/index.js', import.meta.url).href)};
const [dir, port, shared] = process.argv.slice(2);
const wv = new WebView({ shared: shared === 'shared', sharedDirectory: dir });
await wv.setEnableWebSocket(Number(port));
wv.setWebSocketCallback((data, page) => {
  if (typeof data === 'string' && data.startsWith('ping') && wv.pages.includes(page)) wv.sendTo(page, 'pong', data);
});
process.on('message', async (m) => {
  if (m.cmd === 'blast') {
    const frame = new Float32Array(m.floats).fill(0.25);
    for (let i = 0; i < m.count; i++) {
      wv.sendToWebSocket('scope', frame);
      if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
    }
    wv.sendToWebSocket('end', 'end');
  } else if (m.cmd === 'close') {
    await wv.close();
    process.exit(0);
  }
});
process.send({ port: wv.port, self: wv.instances?.self });
`;

/** A host in a child process; resolves once it listens, with its port and instance id. */
async function startInstance(script, dir, port, shared) {
  const child = fork(script, [dir, String(port), shared ? 'shared' : 'single'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await once(child, 'message');
  return { child, ...ready };
}

async function stop(instance) {
  if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.send({ cmd: 'close' });
  await exited;
}

function openPage(url) {
  const socket = new WebSocket(url);
  socket.binaryType = 'nodebuffer';
  return once(socket, 'open').then(() => socket);
}

/** Round trips of a short text: the page sends `ping…`, the instance serving it answers that page only. */
async function roundTrips(url, count, warm) {
  const page = await openPage(url);
  // Until the instance has the page, a ping goes unanswered: probe until one is.
  await new Promise((resolve) => {
    const probe = setInterval(() => page.send('ping-probe'), 20);
    page.once('message', () => {
      clearInterval(probe);
      resolve();
    });
  });
  const times = [];
  for (let i = 0; i < warm + count; i++) {
    const t = performance.now();
    const answered = once(page, 'message');
    page.send(`ping${i}`);
    await answered;
    if (i >= warm) times.push(performance.now() - t);
  }
  page.close();
  return times.sort((a, b) => a - b);
}

/** Frames/s each page receives while `sender` sends `count` float frames (a short text ends them). */
async function throughput(sender, pages, count) {
  const done = pages.map(
    (page) =>
      new Promise((resolve) => {
        let got = 0;
        const onMessage = (data) => {
          if (data.byteLength < 64) {
            page.off('message', onMessage);
            resolve(got);
          } else got++;
        };
        page.on('message', onMessage);
      }),
  );
  const started = performance.now();
  sender.child.send({ cmd: 'blast', count, floats: FLOATS });
  const received = await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  return { framesPerSec: median(received) / seconds, received: Math.min(...received) };
}

/** Ms from the hub's end (SIGKILL or close) until the member holds the port. */
async function failover(script, dir, graceful) {
  const hub = await startInstance(script, dir, 0, true);
  const member = new WebView({ shared: true, sharedDirectory: dir });
  await member.setEnableWebSocket(hub.port);
  const tookOver = new Promise((resolve) => member.instances.on('role', (role) => role === 'hub' && resolve(performance.now())));
  const start = performance.now();
  if (graceful) hub.child.send({ cmd: 'close' });
  else hub.child.kill('SIGKILL');
  const at = await tookOver;
  await member.close();
  if (hub.child.exitCode === null && hub.child.signalCode === null) await once(hub.child, 'exit');
  return at - start;
}

export async function run({ quick = false, runs = quick ? 1 : 3, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'hise-bench-shared-'));
  const script = join(dir, 'instance.mjs');
  writeFileSync(script, INSTANCE_SCRIPT);
  const rows = [];
  const calls = quick ? 300 : 3000;
  const warm = quick ? 50 : 300;
  const frames = quick ? 2000 : 20000;
  try {
    const single = [];
    const joined = [];
    const fromHub = [];
    const fromMember = [];
    for (let r = 0; r < runs; r++) {
      log(`shared-port: run ${r + 1}/${runs}`);
      const alone = await startInstance(script, dir, 0, false);
      single.push(await roundTrips(`ws://127.0.0.1:${alone.port}/`, calls, warm));
      await stop(alone);

      const hub = await startInstance(script, dir, 0, true);
      const member = await startInstance(script, dir, hub.port, true);
      joined.push(await roundTrips(`ws://127.0.0.1:${hub.port}/?instance=${member.self}`, calls, warm));

      const pages = await Promise.all(Array.from({ length: PAGES }, () => openPage(`ws://127.0.0.1:${hub.port}/`)));
      await throughput(hub, pages, frames >> 2); // warm-up, not counted: both paths are hot before either is timed
      await throughput(member, pages, frames >> 2);
      // Alternate which goes first, so neither always runs on a fresher heap.
      for (const [sender, list] of r % 2 === 0 ? [[hub, fromHub], [member, fromMember]] : [[member, fromMember], [hub, fromHub]]) {
        list.push(await throughput(sender, pages, frames));
      }
      for (const page of pages) page.close();
      await stop(member);
      await stop(hub);
    }
    const summary = (list) => ({ p50: median(list.map((t) => percentile(t, 50))), p99: median(list.map((t) => percentile(t, 99))) });
    const s = summary(single);
    const j = summary(joined);
    rows.push({ scenario: 'shared-port', client: 'single host', p50Ms: round(s.p50, 3), p99Ms: round(s.p99, 3), note: `round trip, ${calls} calls` });
    rows.push({
      scenario: 'shared-port',
      client: 'joined instance',
      p50Ms: round(j.p50, 3),
      p99Ms: round(j.p99, 3),
      addedP50Ms: round(j.p50 - s.p50, 3),
      note: `round trip through the hub: +${(j.p50 - s.p50).toFixed(3)} ms p50 (target <= 0.2)`,
    });
    const hubRate = median(fromHub.map((x) => x.framesPerSec));
    const memberRate = median(fromMember.map((x) => x.framesPerSec));
    rows.push({ scenario: 'shared-port', client: 'hub → pages', floats: FLOATS, framesPerSec: round(hubRate, 0), note: `${PAGES} pages, ${frames} frames` });
    rows.push({
      scenario: 'shared-port',
      client: 'joined → pages',
      floats: FLOATS,
      framesPerSec: round(memberRate, 0),
      ratioToHub: round(memberRate / hubRate, 3),
      note: `relayed; ${(memberRate / hubRate).toFixed(2)}x the hub's own, fewest frames a page got ${Math.min(...fromMember.map((x) => x.received))}/${frames}`,
    });
    for (const graceful of [false, true]) {
      const times = [];
      for (let r = 0; r < (quick ? 1 : 5); r++) times.push(await failover(script, dir, graceful));
      times.sort((a, b) => a - b);
      rows.push({
        scenario: 'shared-port',
        client: graceful ? 'failover (close)' : 'failover (SIGKILL)',
        p50Ms: round(median(times), 1),
        maxMs: round(times[times.length - 1], 1),
        failoverMs: times.map((t) => round(t, 1)),
        note: 'until the joined instance holds the port (target <= 1000 ms)',
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('shared-port', run);
