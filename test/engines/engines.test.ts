import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTime, WebView } from '../../src/host/index.js';
import { HISE_CLIENT_JS, HISE_CLIENT_SKIP_REASON } from '../helpers/hise-client.js';
import { until } from '../helpers/node-client.js';
import { ENGINES, type Engine, type Launched } from './browsers.js';
import { ReportServer, type Report } from './report-server.js';
import { bridgePage, hisePage, modernPage } from './scenario-pages.js';

// The pages that matter, in every engine HISE's webview and its users run them in: Chromium
// (WebView2 on Windows), WebKit (WKWebView on macOS; here WebKitGTK's MiniBrowser under Xvfb) and
// Firefox ESR. One launch per engine opens a top page that frames one page per scenario, each
// served by its own host; the pages report to the test's endpoint, the test checks both sides.
// A missing engine fails the run in CI (CI=true) and is skipped, with the reason, elsewhere.

const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
/** Bounds how long a broken engine holds the run; never asserted. */
const REPORT_WAIT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const LAST_FRAME = 39;
const FRAME_FLOATS = 4096;

const reports = new ReportServer();
beforeAll(() => reports.listen());
afterAll(() => reports.close());

interface Scenario {
  name: 'hise-stock' | 'drop-in' | 'bridge' | 'modern';
  wv: WebView;
  /** The folder it serves (removed afterwards). */
  root: string;
  received: unknown[];
  gestures: string[];
  changes: { value: unknown; source: string }[];
}

/** A host serving `files` (with `{PORT}` and `{REPORT}` filled in) from a fresh root. */
async function scenarioHost(name: Scenario['name'], run: string, page: (report: string, port: number) => string, extra?: (root: string) => void): Promise<Scenario> {
  const wv = new WebView();
  const root = mkdtempSync(join(tmpdir(), `hwv-engine-${name}-`));
  const scenario: Scenario = { name, wv, root, received: [], gestures: [], changes: [] };
  const port = await wv.setEnableWebSocket(0);
  wv.setWebSocketCallback((data) => void scenario.received.push(data));
  writeFileSync(join(root, 'index.html'), page(reports.reportUrl(run, name), port));
  extra?.(root);
  await wv.setIndexFile(root);
  return scenario;
}

async function scenariosFor(run: string): Promise<Scenario[]> {
  const list: Scenario[] = [];
  if (HISE_CLIENT_JS) {
    list.push(await scenarioHost('hise-stock', run, (report, port) => hisePage(report, 'hisewebsocket-min.js', port), (root) => copyFileSync(resolve(HISE_CLIENT_JS!), join(root, 'hisewebsocket-min.js'))));
  }
  list.push(await scenarioHost('drop-in', run, (report, port) => hisePage(report, '/hisewebsocket-min.js', port)));
  list.push(await scenarioHost('bridge', run, (report) => bridgePage(report)));
  list.push(await scenarioHost('modern', run, (report) => modernPage(report, LAST_FRAME)));
  for (const s of list) {
    if (s.name === 'hise-stock' || s.name === 'drop-in') {
      // Held until the page's client connects (the bridge connects first and must not take them).
      s.wv.sendToWebsocket('greet', 'hello');
      s.wv.sendToWebsocket('floats', new Float32Array([0.5, -1, 2]));
    } else if (s.name === 'bridge') {
      s.wv.bindCallback('add', (args) => (args[0] as number) + (args[1] as number));
      s.wv.bindCallback('fails', () => {
        throw Object.assign(new Error('no such preset'), { code: 'E_PRESET' });
      });
    } else {
      s.wv.handle('twice', (x: unknown) => (x as number) * 2);
      const gain = s.wv.parameter('gain', { min: -60, max: 12, default: 0, step: 0.1 });
      gain.on('gesture', (g) => void s.gestures.push(g.phase));
      gain.on('change', (value, { source }) => void s.changes.push({ value, source }));
    }
  }
  return list;
}

interface EngineRun {
  run: string;
  scenarios: Scenario[];
  browser: Launched;
}

const runsByEngine = new Map<Engine['name'], EngineRun>();
const runnable = ENGINES.filter((engine) => !engine.missing);

// All engines start at once (their start-up is most of the suite's time); each one's pages then
// report on their own.
beforeAll(async () => {
  await Promise.all(
    runnable.map(async (engine) => {
      const run = `${engine.name}-${process.pid}`;
      const scenarios = await scenariosFor(run);
      const browser = engine.launch(reports.top(run, scenarios.map((s) => s.wv.url!)));
      runsByEngine.set(engine.name, { run, scenarios, browser });
    }),
  );
});
afterAll(async () => {
  await Promise.all(
    [...runsByEngine.values()].map(async ({ browser, scenarios }) => {
      await browser.kill();
      await Promise.all(scenarios.map((s) => s.wv.close()));
      for (const s of scenarios) rmSync(s.root, { recursive: true, force: true });
    }),
  );
});

for (const engine of ENGINES) {
  const skipReason = engine.missing !== undefined && !IN_CI ? engine.missing : undefined;
  describe.skipIf(skipReason !== undefined)(`${engine.name}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    beforeAll(() => {
      if (engine.missing) throw new Error(`${engine.name} is required in CI: ${engine.missing}`);
    });
    const current = (): EngineRun => runsByEngine.get(engine.name)!;
    const describeRun = (): string => `${engine.name} (${engine.version()}) printed:\n${current().browser.output().slice(-4000)}`;
    const scenario = (name: Scenario['name']): Scenario => current().scenarios.find((s) => s.name === name)!;
    const next = (name: Scenario['name'], predicate: (r: Report) => boolean): Promise<Report> => reports.next(current().run, name, predicate, REPORT_WAIT_MS, describeRun);

    const hiseClientCheck = async (name: 'hise-stock' | 'drop-in'): Promise<void> => {
      const report = await next(name, (r) => r.done === true);
      expect(report).toMatchObject({ greet: 'hello', floats: 'Float32Array:0.5,-1,2' });
      const { received } = scenario(name);
      await until(() => received.length >= 2, REPORT_WAIT_MS, 'the page’s echo and floats at the host');
      expect(received[0]).toEqual({ echo: { greet: 'hello', floats: 'Float32Array:0.5,-1,2' } });
      expect(received[1]).toEqual(new Float32Array([0.25, -0.5]));
    };

    it.skipIf(!HISE_CLIENT_JS)(`HISE's stock client: receives a string and floats, sends JSON and floats${HISE_CLIENT_JS ? '' : ` (skipped: ${HISE_CLIENT_SKIP_REASON})`}`, async () => {
      await hiseClientCheck('hise-stock');
    }, TEST_TIMEOUT_MS);

    it('the drop-in: receives a string and floats, sends JSON and floats', async () => {
      await hiseClientCheck('drop-in');
    }, TEST_TIMEOUT_MS);

    it('the bridge: bound callbacks resolve and reject with their code; callFunction runs a page function and returns its result', async () => {
      const report = await next('bridge', (r) => r.bound === true);
      expect(report).toMatchObject({ sum: 5, failure: { message: 'no such preset', code: 'E_PRESET' } });
      const { wv } = scenario('bridge');
      expect(await wv.callFunction('triple', 7)).toEqual([{ status: 'fulfilled', value: 21 }]);
      expect(await next('bridge', (r) => 'called' in r)).toMatchObject({ called: 7 });
    }, TEST_TIMEOUT_MS);

    it('the modern client: calls both ways, a parameter gesture, fresh streams with acks and host time', async () => {
      const ready = await next('modern', (r) => r.ready === true);
      expect(ready).toMatchObject({ twice: 42, before: 0, after: -6, mode: 'extended', visibility: 'visible' });
      const s = scenario('modern');
      const { wv } = s;
      await until(() => s.gestures.length === 2, REPORT_WAIT_MS, 'the gesture at the host');
      expect(s.gestures).toEqual(['start', 'end']);
      expect(s.changes).toEqual([{ value: -6, source: 'page' }]);
      expect(wv.parameters.get('gain')!.value).toBe(-6);
      const page = wv.pages.find((p) => p.extended)!;
      expect(await wv.call(page, 'flash', 'red')).toBe('flashed red');

      for (let i = 0; i <= LAST_FRAME; i++) {
        wv.send('scope', new Float32Array(FRAME_FLOATS).fill(i), { time: hostTime(), samplePosition: i * FRAME_FLOATS });
      }
      const streamed = await next('modern', (r) => r.streamed === true);
      const frames = streamed.frames as { first: number; length: number; samplePosition: number; hasTime: boolean }[];
      const firsts = frames.map((f) => f.first);
      expect(firsts.at(-1)).toBe(LAST_FRAME);
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b)); // never an older frame after a newer one
      expect(new Set(firsts).size).toBe(firsts.length);
      for (const frame of frames) expect(frame).toMatchObject({ first: frame.first, length: FRAME_FLOATS, samplePosition: frame.first * FRAME_FLOATS, hasTime: true });
      expect(streamed.hostTime).toBe('number');
      // The page acknowledged what it consumed: nothing stays in flight.
      await until(() => page.streamStats!.bytesInFlight === 0, REPORT_WAIT_MS, 'the page’s stream acks');
      expect(page.streamStats!.bytesInFlight).toBe(0);
    }, TEST_TIMEOUT_MS);
  });
}

afterAll(() => {
  for (const engine of ENGINES) if (!engine.missing) console.log(`engines: ${engine.name} = ${engine.version()}`);
});

