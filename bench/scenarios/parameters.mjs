// Scenario: parameters (issue 13). Latency of a page's gesture `set` to the host's `change`, and of
// a host `set` to another page's `subscribe`, each against the plain message path in the same run
// (`client.send` → `wv.onMessage`; `wv.send` → `client.on`). Two pages, each in its own headless
// Chromium. One-way times use both sides' clocks, the page's corrected by an offset measured with
// 30 calls (the one with the shortest round trip); the offset's error is the same for both paths.
// Host sets are spaced by more than `parameterInterval`, so each one is measured, not coalesced.
// Target: the parameter path ≤ 1.1× the message path, and ≤ 1 frame (16.7 ms), p50 and p99.
import { WebView } from '../../dist/host/index.js';
import { benchPageHtml } from '../lib/bench-server.mjs';
import { launchChromium } from '../lib/chromium.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { percentile, round, sleep } from '../lib/stats.mjs';

const FRAME_MS = 1000 / 60;
const GAIN = { min: -60, max: 12, step: 0.1, default: 12 };
/** Sample i is the gain value -60 + i/10: distinct for i < 720, and never the default. */
const valueOf = (i) => GAIN.min + i / 10;
const indexOf = (value) => Math.round((value - GAIN.min) * 10);

/** The page's client: the modern client from dist/. */
function setupParameters(params) {
  let c;
  const ready = import('/dist/client/index.js').then(async ({ connect }) => {
    c = connect({ port: params.port });
    await c.ready;
  });
  return { ready, get c() { return c; } };
}

/** Page side. Page 0 drives page → host; page 1 records host → page. Times are on the host's clock. */
async function parametersPage({ params, client, report }) {
  const c = client.c;
  const now = () => performance.timeOrigin + performance.now();
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const gain = c.parameter('gain');
  await gain.ready;
  let best = Infinity;
  let offset = 0;
  for (let k = 0; k < 30; k++) {
    const t0 = now();
    const hostNow = await c.call('clock');
    const t1 = now();
    if (t1 - t0 < best) [best, offset] = [t1 - t0, hostNow - (t0 + t1) / 2];
  }
  const hostTime = () => now() + offset;
  const go = new Promise((resolve) => c.on('go', resolve));
  if (params.pageIndex === 0) {
    await report('ready', {});
    await go;
    const message = [];
    const parameter = [];
    gain.begin();
    // The two paths take turns going first, so neither gains from what the other leaves warm.
    const sendMessage = async (i) => {
      message[i] = hostTime();
      c.send('probe', i);
      await pause(params.pageGap);
    };
    const sendParameter = async (i) => {
      parameter[i] = hostTime();
      gain.set(params.values[i]);
      await pause(params.pageGap);
    };
    for (let i = 0; i < params.samples; i++) {
      if (i % 2 === 0) {
        await sendMessage(i);
        await sendParameter(i);
      } else {
        await sendParameter(i);
        await sendMessage(i);
      }
    }
    gain.end();
    await report('sent', { message, parameter });
  } else {
    const message = [];
    const parameter = [];
    c.on('probe-out', (i) => (message[i] = hostTime()));
    gain.subscribe((value, meta) => {
      if (!meta.initial) parameter[Math.round((value - params.min) * 10)] = hostTime();
    });
    await report('ready', {});
    await new Promise((resolve) => c.on('done', resolve));
    await report('received', { message, parameter });
  }
}

/** Samples not measured: the first ones pay for JIT compilation and the connections' warm-up. */
const WARM = 10;
const latencies = (sent, received) =>
  sent
    .map((t, i) => received[i] - t)
    .slice(WARM)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);

export async function run({ server, quick = false, log = () => {} }) {
  const samples = WARM + (quick ? 40 : 300);
  const wv = new WebView();
  const port = await wv.setEnableWebSocket(0);
  const now = () => performance.timeOrigin + performance.now();
  const gain = wv.parameter('gain', GAIN);
  wv.handle('clock', () => now());
  const atHost = { message: [], parameter: [] };
  wv.onMessage('probe', (i) => (atHost.message[i] = now()));
  gain.on('change', (value, change) => {
    if (change.source === 'page') atHost.parameter[indexOf(value)] = now();
  });
  const values = Array.from({ length: samples }, (_, i) => valueOf(i));
  server.reset();
  const browsers = [];
  try {
    const urls = [0, 1].map((pageIndex) =>
      server.page(
        benchPageHtml({
          title: `parameters ${pageIndex}`,
          clientSetup: setupParameters,
          scenario: parametersPage,
          params: { port, pageIndex, samples, values, min: GAIN.min, pageGap: 2 },
        }),
      ),
    );
    for (const url of urls) browsers.push(launchChromium([url]));
    await Promise.all([server.next('ready', 30_000), server.next('ready', 30_000)]);
    log(`parameters: page → host, ${samples} samples`);
    const sent = server.next('sent', 60_000);
    wv.send('go', 1);
    const fromPage = await sent;
    log(`parameters: host → page, ${samples} samples`);
    const toPage = { message: [], parameter: [] };
    for (let i = 0; i < samples; i++) {
      const sendMessage = () => {
        toPage.message[i] = now();
        wv.send('probe-out', i);
      };
      const sendParameter = () => {
        toPage.parameter[i] = now();
        gain.set(values[i]);
      };
      (i % 2 === 0 ? sendMessage : sendParameter)();
      await sleep(2);
      (i % 2 === 0 ? sendParameter : sendMessage)();
      await sleep(wv.options.parameterInterval + 4); // a fresh interval: the next set goes out at once
    }
    const received = server.next('received', 30_000);
    wv.send('done', 1);
    const atPage = await received;
    return [
      row('page gesture → host change', latencies(fromPage.message, atHost.message), latencies(fromPage.parameter, atHost.parameter), samples - WARM),
      row('host set → other page subscribe', latencies(toPage.message, atPage.message), latencies(toPage.parameter, atPage.parameter), samples - WARM),
    ].flat();
  } finally {
    await Promise.all(browsers.map((browser) => browser.close()));
    await wv.close();
  }
}

function row(path, message, parameter, samples) {
  const figures = (times) => ({ p50Ms: round(percentile(times, 50), 3), p99Ms: round(percentile(times, 99), 3), maxMs: round(times.at(-1), 3) });
  const m = figures(message);
  const p = figures(parameter);
  const ratio = round(p.p50Ms / m.p50Ms, 3);
  const withinFrame = p.p99Ms <= FRAME_MS;
  return [
    { scenario: 'parameters', client: `${path}: message`, samples: message.length, ...m, ok: message.length === samples },
    {
      scenario: 'parameters',
      client: `${path}: parameter`,
      samples: parameter.length,
      ...p,
      ratioToRaw: ratio,
      ok: parameter.length === samples,
      note: `${ratio}x the message path (target <= 1.1x, p50 ${p.p50Ms - m.p50Ms >= 0 ? '+' : ''}${round(p.p50Ms - m.p50Ms, 3)} ms); p99 ${withinFrame ? 'within' : 'over'} one frame`,
    },
  ];
}

if (isMain(import.meta.url)) await runStandalone('parameters', run);
