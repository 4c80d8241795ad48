// Scenario (issue 26): what streams cost a page's main thread, and whether a scope keeps drawing
// when the main thread janks. One host, one page, 16 streams x 60 fps x 2048 floats, each drawn by
// an oscilloscope component on its own canvas: with the main-thread client (`connect` +
// `mountComponent` on the page's thread) and with the worker client (`connectWorker`, components in
// the worker on transferred canvases).
//  - busy: main-thread busy ms per second = window - idle time, the idle time summed from
//    requestIdleCallback deadlines (an idle period cut short by a task still counts whole, so busy
//    time is if anything under-counted, more so for the main-thread client), and long tasks
//    (PerformanceObserver) beside it;
//  - jank: a 200 ms busy loop every second on the main thread; frames per second scope 0 drew.
import { createWebViewHost } from '../clients/webview-host.js';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, round, sleep } from '../lib/stats.mjs';

const STREAMS = 16;
const FPS = 60;
const FLOATS = 2048;
const JANK_MS = 200;

const base = { available: () => ({ ok: true }), scripts: () => [], createHost: (options) => createWebViewHost({ ...options, rpc: 'modern' }) };

/** The two clients compared, each giving the page `{ ready, client, mountAll(canvases), drawn() }`. */
export const MAIN_THREAD_CLIENTS = {
  'modern-main': {
    ...base,
    name: 'modern-main',
    label: 'modern client, components on the main thread',
    browser: function setupMain(params) {
      let client;
      let components = [];
      const ready = (async () => {
        const [{ connect }, { mountComponent }] = await Promise.all([import('/dist/client/index.js'), import('/dist/client/scopes/index.js')]);
        client = connect({ port: params.port });
        await client.ready;
        setup.mountAll = (canvases) => (components = canvases.map((canvas, i) => mountComponent('oscilloscope', canvas, client, { id: String(i) })));
      })();
      const setup = { ready, onText: (fn) => client.on('ctl', (text) => fn('ctl', text)), drawn: () => components[0]?.drawn ?? 0 };
      return setup;
    },
  },
  'modern-worker': {
    ...base,
    name: 'modern-worker',
    label: 'worker client, components in the worker',
    browser: function setupWorker(params) {
      let client;
      let drawn = 0;
      const ready = (async () => {
        const { connectWorker } = await import('/dist/client/worker/index.js');
        client = connectWorker({ port: params.port });
        await client.ready;
        client.onWorkerMessage((message) => (drawn = message.drawn));
        // A module in the worker mounts the scopes and posts how many frames scope 0 drew.
        const code = `export default (ctx) => {
          const scopes = Object.values(ctx.canvases).map((canvas, i) => ctx.mount('oscilloscope', canvas, { id: String(i) }));
          setInterval(() => ctx.post({ drawn: scopes[0].drawn }), 50);
        };`;
        const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        setup.mountAll = (canvases) => client.streamsToWorker(url, { canvases: Object.fromEntries(canvases.map((c, i) => [String(i), c])) });
      })();
      const setup = { ready, onText: (fn) => client.on('ctl', (text) => fn('ctl', text)), drawn: () => drawn };
      return setup;
    },
  },
};

/** Page side. */
async function mainThreadPage({ params, client, report }) {
  const canvases = Array.from({ length: params.streams }, () => {
    const canvas = document.createElement('canvas');
    canvas.width = 256;
    canvas.height = 64;
    document.body.append(canvas);
    return canvas;
  });
  await client.mountAll(canvases);
  const longTasks = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  const measureIdle = (ms) =>
    new Promise((resolve) => {
      let idle = 0;
      const start = performance.now();
      const drawnBefore = client.drawn();
      const end = start + ms;
      longTasks.length = 0;
      const probe = (deadline) => {
        if (performance.now() >= end) return resolve({ idleMs: idle, ms: performance.now() - start, drawn: client.drawn() - drawnBefore, longTasks: longTasks.length, longTaskMs: longTasks.reduce((a, b) => a + b, 0) });
        idle += Math.min(deadline.timeRemaining(), end - performance.now());
        requestIdleCallback(probe);
      };
      requestIdleCallback(probe);
    });
  const measureJank = (ms) =>
    new Promise((resolve) => {
      const start = performance.now();
      const drawnBefore = client.drawn();
      const jank = setInterval(() => {
        const until = performance.now() + params.jankMs;
        while (performance.now() < until); // the page's own slow work
      }, 1000);
      setTimeout(() => {
        clearInterval(jank);
        // The worker posts its count every 50 ms: wait for one posted after the window.
        setTimeout(() => resolve({ drawn: client.drawn() - drawnBefore, ms: performance.now() - start - 60 }), 60);
      }, ms);
    });
  client.onText(async (id, text) => {
    if (text === 'busy') report('busy', await measureIdle(params.windowMs));
    if (text === 'jank') report('jank', await measureJank(params.windowMs));
  });
  report('ready', {});
}

async function stream(host, buffers, ms) {
  const start = performance.now();
  const tickMs = 1000 / FPS;
  for (let tick = 0; performance.now() - start < ms; tick++) {
    for (let i = 0; i < STREAMS; i++) {
      for (let j = 0; j < FLOATS; j += 64) buffers[i][j] = Math.sin(tick / 10 + j / 200);
      host.sendFloats(String(i), buffers[i]);
    }
    const wait = start + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
}

async function measure(adapter, { server, warmMs, windowMs }) {
  return withSession({ adapter, server, scenario: mainThreadPage, params: { streams: STREAMS, windowMs, jankMs: JANK_MS } }, async ({ host }) => {
    await host.waitForPages(1);
    const buffers = Array.from({ length: STREAMS }, () => new Float32Array(FLOATS));
    await stream(host, buffers, warmMs);
    host.sendText('ctl', 'busy');
    const busyReport = server.next('busy', windowMs + 30_000);
    await stream(host, buffers, windowMs + 200);
    const busy = await busyReport;
    host.sendText('ctl', 'jank');
    const jankReport = server.next('jank', windowMs + 30_000);
    await stream(host, buffers, windowMs + 300);
    const jank = await jankReport;
    return {
      busyMsPerSec: ((busy.ms - busy.idleMs) / busy.ms) * 1000,
      longTasksPerSec: (busy.longTasks / busy.ms) * 1000,
      // Scope 0's frames drawn without jank (the worker's count lags by up to 50 ms): the baseline of drawnFps.
      calmFps: (busy.drawn / busy.ms) * 1000,
      drawnFps: (jank.drawn / jank.ms) * 1000,
    };
  });
}

export async function run({ server, quick = false, runs = quick ? 1 : 3, clients, log = () => {} }) {
  const names = (clients ?? Object.keys(MAIN_THREAD_CLIENTS)).filter((n) => n in MAIN_THREAD_CLIENTS);
  const warmMs = quick ? 200 : 1500;
  const windowMs = quick ? 500 : 4000;
  const samples = new Map(names.map((n) => [n, []]));
  const rows = [];
  for (let r = 0; r < runs; r++) {
    for (const name of names) {
      log(`main-thread: ${name}, run ${r + 1}/${runs}`);
      try {
        samples.get(name).push(await measure(MAIN_THREAD_CLIENTS[name], { server, warmMs, windowMs }));
      } catch (error) {
        log(`main-thread: ${name} failed: ${error.message}`);
        rows.push({ scenario: 'main-thread', client: name, floats: FLOATS, error: error.message, ok: false });
      }
    }
  }
  const mainBusy = median((samples.get('modern-main') ?? []).map((s) => s.busyMsPerSec));
  for (const [name, list] of samples) {
    if (list.length === 0) continue;
    const busy = median(list.map((s) => s.busyMsPerSec));
    rows.push({
      scenario: 'main-thread',
      client: name,
      floats: FLOATS,
      streams: STREAMS,
      fps: FPS,
      runs: list.length,
      busyMsPerSec: round(busy, 1),
      busyRatioToMain: round(busy / mainBusy, 3),
      longTasksPerSec: round(median(list.map((s) => s.longTasksPerSec)), 2),
      drawnFpsUnderJank: round(median(list.map((s) => s.drawnFps)), 1),
      drawnFpsCalm: round(median(list.map((s) => s.calmFps)), 1),
      runsBusyMsPerSec: list.map((s) => round(s.busyMsPerSec, 1)),
      runsDrawnFps: list.map((s) => round(s.drawnFps, 1)),
      ok: list.every((s) => Number.isFinite(s.busyMsPerSec) && s.drawnFps >= 0),
      note: `main thread busy ${round(busy, 1)} ms/s; scope 0 drew ${round(median(list.map((s) => s.calmFps)), 1)} fps, ${round(median(list.map((s) => s.drawnFps)), 1)} fps under a ${JANK_MS} ms jank every second`,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('main-thread', run);
