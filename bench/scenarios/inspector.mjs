// Scenario: what the inspector costs (issue 16). The throughput scenario's host → page stream (modern
// client in Chromium) four ways: no inspector; an inspector attached with `history: false` but no
// inspector page open (must cost nothing: the host is not even observed); one attached with its
// history (the default: observed from attach, no page open); an inspector page open (a raw
// WebSocket reading its snapshots, so the reader's own parsing is not charged to the host process).
// Reports frames/s and the host process's CPU (share of one core) per size, and each as a ratio to
// the run without an inspector, paired run by run.
import { WebSocket } from 'ws';
import modern from '../clients/modern.js';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { median, round } from '../lib/stats.mjs';
import { measureClient } from './throughput.mjs';

const SIZES = [512, 8192];
const QUICK_SIZES = [512];
const SOCKET = '/__hise-webview/inspector/socket';

/**
 * The modern adapter whose host has an inspector attached, with its page `open` or not; `history`
 * false: observed only while a page is open (closed, it must cost nothing).
 */
function withInspector(open, history = true) {
  return {
    ...modern,
    name: open ? 'inspector-open' : history ? 'inspector-history' : 'inspector-closed',
    async createHost(options) {
      const host = await modern.createHost(options);
      const { attachInspector } = await import('../../dist/inspector/index.js');
      const inspector = attachInspector(host.webView, { history });
      let reader;
      if (open) {
        reader = new WebSocket(`ws://127.0.0.1:${host.port}${SOCKET}?token=${encodeURIComponent(inspector.token)}`, ['hise-webview.1'], {
          headers: { Origin: `http://127.0.0.1:${host.port}` },
        });
        reader.snapshots = 0;
        reader.on('message', () => reader.snapshots++);
        await new Promise((resolve, reject) => {
          reader.once('open', resolve);
          reader.once('error', reject);
        });
        await waitFor(() => inspector.observing);
      } else if (inspector.observing !== history) throw new Error(`an inspector with no page open and history ${history} ${history ? 'does not observe' : 'observes'} the host`);
      return {
        ...host,
        inspector,
        reader,
        close: async () => {
          reader?.close();
          await host.close();
        },
      };
    },
  };
}

const VARIANTS = [
  ['no inspector', modern],
  ['inspector closed', withInspector(false, false)],
  ['inspector history', withInspector(false, true)],
  ['inspector open', withInspector(true)],
];

export async function run({ server, quick = false, runs = quick ? 1 : 3, log = () => {} }) {
  const sizes = quick ? QUICK_SIZES : SIZES;
  const durationMs = quick ? 150 : 1000;
  const samples = new Map(VARIANTS.map(([label]) => [label, []]));
  if (!modern.available().ok) return [{ scenario: 'inspector', client: 'modern', skipped: modern.available().reason, note: 'skipped' }];
  for (let r = 0; r < runs; r++) {
    for (const [label, adapter] of VARIANTS) {
      log(`inspector: ${label}, run ${r + 1}/${runs}`);
      for (const result of await measureClient(adapter, { server, sizes, durationMs, warmFrames: quick ? 50 : 200 })) samples.get(label).push({ ...result, run: r });
    }
  }
  const rows = [];
  const plain = samples.get('no inspector');
  for (const [label] of VARIANTS) {
    for (const floats of sizes) {
      const list = samples.get(label).filter((s) => s.floats === floats);
      const paired = (key) => median(list.map((s) => s[key] / (plain.find((p) => p.run === s.run && p.floats === floats)?.[key] ?? NaN)));
      const framesPerSec = median(list.map((s) => s.framesPerSec));
      const hostCpu = median(list.map((s) => s.hostCpu));
      rows.push({
        scenario: 'inspector',
        client: label,
        floats,
        framesPerSec: round(framesPerSec, 0),
        mbPerSec: round((framesPerSec * floats * 4) / 1e6, 1),
        hostCpu: round(hostCpu, 2),
        framesRatio: round(paired('framesPerSec'), 3),
        cpuRatio: round(paired('hostCpu'), 3),
        runs: list.length,
        ok: list.every((s) => s.ok),
        note: `${round(paired('framesPerSec'), 2)}x frames/s, host CPU ${round(hostCpu, 2)} (${round(paired('hostCpu'), 2)}x) of no inspector`,
      });
    }
  }
  rows.push(...(await observerCost(quick)));
  return rows;
}

/**
 * What an open inspector adds to each message on the host's I/O path, measured alone (the stream
 * above is bounded by the page, so the machine's noise hides it): the aggregator's observer fed
 * send observations, nanoseconds per message. With no inspector page open it is not called at all.
 */
async function observerCost(quick) {
  const { Aggregator } = await import('../../dist/inspector/aggregator.js');
  const host = { pages: [], retainedValues: new Map() };
  const rows = [];
  for (const floats of quick ? QUICK_SIZES : SIZES) {
    const aggregator = new Aggregator(host, { logSize: 5000, logBytes: 4 * 1024 * 1024, callLogSize: 200, previewPoints: 256, sampleInterval: 100, maxIds: 256 });
    const data = new Float32Array(floats).fill(0.5);
    const count = quick ? 20_000 : 200_000;
    const observe = (i) => aggregator.observe({ type: 'send', time: i * 0.01, id: 'scope', data, stream: true, page: undefined, result: 'sent' });
    for (let i = 0; i < count / 10; i++) observe(i); // warm-up
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) observe(i);
    const nsPerMessage = Number(process.hrtime.bigint() - started) / count;
    rows.push({ scenario: 'inspector', client: 'observer alone', floats, nsPerMessage: round(nsPerMessage, 0), ok: true, note: `${round(nsPerMessage, 0)} ns per message (previews sampled at 10 Hz of a 100 kHz stream)` });
  }
  return rows;
}

function waitFor(predicate, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting for the inspector to observe'));
      setTimeout(poll, 10);
    };
    poll();
  });
}

if (isMain(import.meta.url)) await runStandalone('inspector', run);
