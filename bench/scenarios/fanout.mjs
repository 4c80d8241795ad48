// Scenario 3: fan-out. One host, 4 pages, 16 streams x 60 fps x 2048 floats. Reports the host's CPU
// (process.cpuUsage over the window, as a share of one core) and each page's delivery rate
// (expected 16 x 60 = 960 frames/s).
import { client } from '../lib/clients.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, round, sleep } from '../lib/stats.mjs';

export const FANOUT_CLIENTS = ['drop-in', 'modern', 'raw-ws'];
const PAGES = 4;
const QUICK_PAGES = 2;
const STREAMS = 16;
const FPS = 60;
const FLOATS = 2048;

/** Page side: counts stream frames between the host's 'start' and 'stop' control messages. */
function fanoutPage({ params, client, report }) {
  let counting = false;
  let frames = 0;
  let t0 = 0;
  let acc = 0;
  client.onFloats((id, data) => {
    acc += data[0] + data[data.length - 1];
    if (counting) frames++;
  });
  client.onText((id, text) => {
    if (text === 'start') {
      counting = true;
      frames = 0;
      t0 = performance.now();
    } else if (text === 'stop') {
      counting = false;
      report('delivery', { page: params.pageIndex, frames, ms: performance.now() - t0, acc });
    }
  });
  report('ready', {});
}

/** Sends 16 streams at 60 fps for `ms`, scheduling each tick from the start time (no drift). */
async function stream(host, buffers, ms, state) {
  const start = performance.now();
  const tickMs = 1000 / FPS;
  for (let tick = 0; performance.now() - start < ms; tick++) {
    for (let i = 0; i < STREAMS; i++) {
      buffers[i][0] = state.seq;
      host.sendFloats(String(i), buffers[i]);
    }
    state.seq++;
    const wait = start + (tick + 1) * tickMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
}

async function measure(adapter, { server, warmMs, windowMs, pages: PAGES }) {
  return withSession({ adapter, server, scenario: fanoutPage, pages: PAGES }, async ({ host }) => {
    await host.waitForPages(PAGES);
    const buffers = Array.from({ length: STREAMS }, () => new Float32Array(FLOATS).fill(0.5));
    const state = { seq: 0 };
    await stream(host, buffers, warmMs, state);
    host.sendText('ctl', 'start');
    const cpu = process.cpuUsage();
    const t = performance.now();
    await stream(host, buffers, windowMs, state);
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - t;
    host.sendText('ctl', 'stop');
    const pages = [];
    for (let i = 0; i < PAGES; i++) pages.push(await server.next('delivery', 30_000));
    const coalesced = host.webView ? host.webView.pages.reduce((n, p) => n + p.stats.framesCoalesced, 0) : undefined;
    return {
      hostCpu: (used.user + used.system) / 1000 / wallMs,
      sentPerSec: (state.seq * STREAMS) / ((performance.now() - t) / 1000),
      pages: pages.sort((a, b) => a.page - b.page).map((p) => (p.frames / p.ms) * 1000),
      coalesced,
    };
  });
}

export async function run({ server, quick = false, runs = quick ? 1 : 3, clients, log = () => {} }) {
  const names = (clients ?? FANOUT_CLIENTS).filter((n) => FANOUT_CLIENTS.includes(n));
  const warmMs = quick ? 200 : 1000;
  const windowMs = quick ? 500 : 5000;
  const pages = quick ? QUICK_PAGES : PAGES;
  const rows = [];
  for (const name of names) {
    const adapter = client(name);
    const available = adapter.available();
    if (!available.ok) {
      rows.push({ scenario: 'fanout', client: name, floats: FLOATS, skipped: available.reason, note: `skipped: ${available.reason}` });
      continue;
    }
    const results = [];
    for (let r = 0; r < runs; r++) {
      log(`fanout: ${name}, run ${r + 1}/${runs}`);
      try {
        results.push(await measure(adapter, { server, warmMs, windowMs, pages }));
      } catch (error) {
        log(`fanout: ${name} failed: ${error.message}`);
        rows.push({ scenario: 'fanout', client: name, floats: FLOATS, error: error.message, ok: false, note: `failed: ${error.message}` });
      }
    }
    if (results.length === 0) continue;
    const expected = STREAMS * FPS;
    const perPage = Array.from({ length: pages }, (_, i) => round(median(results.map((r) => r.pages[i])), 1));
    const hostCpu = median(results.map((r) => r.hostCpu));
    rows.push({
      scenario: 'fanout',
      client: name,
      floats: FLOATS,
      pages,
      streams: STREAMS,
      fps: FPS,
      runs: results.length,
      hostCpuPercent: round(hostCpu * 100, 1),
      framesPerSec: round(median(perPage), 1),
      perPageFramesPerSec: perPage,
      expectedFramesPerSec: expected,
      deliveryRatio: round(Math.min(...perPage) / expected, 3),
      mbPerSec: round((median(perPage) * FLOATS * 4 * pages) / 1e6, 1),
      framesCoalesced: results.map((r) => r.coalesced),
      ok: perPage.every((f) => f > 0),
      note: `host CPU ${round(hostCpu * 100, 1)}% of a core; per page ${perPage.join(' / ')} of ${expected} frames/s`,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) await runStandalone('fanout', run);
