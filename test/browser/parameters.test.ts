import type { Page as BrowserPage } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Page, Parameter, ParameterChange, ParameterGesture, WebView } from '../../src/host/index.js';
import { nextEvent, startHost } from '../helpers/host.js';
import { until } from '../helpers/node-client.js';
import { useChromiumPages } from '../helpers/chromium-pages.js';

// Parameters with gestures (issue 13), in Chromium with two pages open: no echo, values wait out a
// gesture, coalescing of host automation, disconnect mid-gesture, resync on reconnect, coded
// errors, HISE mode, and the controls (attachDrag, bindRange) driven by real pointer and keys.

const chromium = useChromiumPages();

/** A page with the modern client: `window.log` records every subscribe call per parameter; `window.errors` the host's refusals. */
function parameterPage(port: number, options: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>#knob{width:80px;height:80px;margin:150px 40px}</style></head>
<body><div id="knob"></div><input id="range" type="range">
<script type="module">
  import { connect, attachDrag, bindRange } from 'http://127.0.0.1:${port}/hise-webview-client.js';
  const client = connect(Object.assign({ port: ${port}, minReconnectDelay: 50, maxReconnectDelay: 200 }, ${options}));
  window.client = client;
  window.log = [];
  window.errors = [];
  window.statuses = [];
  client.onStatus((s) => window.statuses.push(s));
  client.onParameterError((e) => window.errors.push({ code: e.code, parameter: e.parameter }));
  for (const id of ['gain', 'mode', 'bypass']) {
    client.parameter(id).subscribe((value, meta) => window.log.push({ id, value, source: meta.source, initial: meta.initial }));
  }
  window.p = (id) => client.parameter(id);
  window.attach = () => { window.detach = attachDrag(document.getElementById('knob'), client.parameter('gain'), { pixels: 200 }); };
  window.bind = (id) => { window.unbind = bindRange(document.getElementById('range'), client.parameter(id)); };
  window.opened = Promise.all([client.ready, client.parameter('gain').ready]);
</script></body></html>`;
}

interface Logged {
  id: string;
  value: unknown;
  source: string;
  initial: boolean;
}
type Win = Window & {
  log: Logged[];
  errors: { code: string; parameter: string }[];
  statuses: string[];
  p(id: string): {
    value: unknown;
    text: string;
    normalized: number;
    spec: unknown;
    begin(): void;
    set(v: unknown): void;
    setNormalized(n: number): void;
    end(): void;
  };
  attach(): void;
  bind(id: string): void;
};

async function openPage(wv: WebView, port: number, options = '{}'): Promise<{ page: BrowserPage; hostPage: Page }> {
  const { page, url } = await chromium.open('params', parameterPage(port, options));
  const connected = nextEvent(wv, 'connect');
  await page.goto(url);
  await page.evaluate(() => (window as unknown as { opened: Promise<void> }).opened);
  return { page, hostPage: ((await connected) as [Page])[0] };
}

function declare(wv: WebView): { gain: Parameter<number>; mode: Parameter<'sine' | 'saw' | 'noise'>; bypass: Parameter<boolean> } {
  const gain = wv.parameter('gain', { min: -60, max: 12, default: 0, step: 0.1, unit: 'dB', label: 'Gain', format: (v: number) => `${v.toFixed(1)} dB` });
  const mode = wv.parameter('mode', { choices: ['sine', 'saw', 'noise'], default: 'sine' });
  const bypass = wv.parameter('bypass', { type: 'boolean', default: false });
  return { gain, mode, bypass };
}

/** Every `change` and `gesture` event of a parameter, in order. */
function record(parameter: Parameter<any>): { kind: string; value?: unknown; change?: ParameterChange; gesture?: ParameterGesture<unknown> }[] {
  const events: { kind: string; value?: unknown; change?: ParameterChange; gesture?: ParameterGesture<unknown> }[] = [];
  parameter.on('change', (value: unknown, change: ParameterChange) => events.push({ kind: 'change', value, change }));
  parameter.on('gesture', (gesture: ParameterGesture<unknown>) => events.push({ kind: 'gesture', gesture }));
  return events;
}

const logOf = (page: BrowserPage, id: string): Promise<Logged[]> =>
  page.evaluate((which) => (window as unknown as Win).log.filter((entry) => entry.id === which), id);

describe('parameters in Chromium, two pages', () => {
  it('pages get specs and values at once; a page change reaches the host and the other page, never back to itself', async () => {
    const { wv, port } = await startHost();
    const { gain, mode } = declare(wv);
    gain.set(-6);
    const a = await openPage(wv, port);
    const b = await openPage(wv, port);
    for (const { page } of [a, b]) {
      expect(await page.evaluate(() => { const g = (window as unknown as Win).p('gain'); return { value: g.value, text: g.text, spec: g.spec }; })).toEqual({
        value: -6,
        text: '-6.0 dB',
        spec: { type: 'number', min: -60, max: 12, default: 0, step: 0.1, unit: 'dB', label: 'Gain', skew: 'linear' },
      });
      expect(await logOf(page, 'gain')).toEqual([{ id: 'gain', value: -6, source: 'host', initial: true }]);
    }
    const events = record(mode);
    await a.page.evaluate(() => (window as unknown as Win).p('mode').set('saw'));
    await until(() => mode.value === 'saw');
    expect(events).toEqual([{ kind: 'change', value: 'saw', change: { source: 'page', page: a.hostPage, inGesture: false } }]);
    await b.page.waitForFunction(() => (window as unknown as Win).p('mode').value === 'saw');
    expect((await logOf(b.page, 'mode')).at(-1)).toEqual({ id: 'mode', value: 'saw', source: 'page', initial: false });
    // The host's change reaches both; page A's own change never came back to it.
    gain.set(3.04);
    for (const { page } of [a, b]) await page.waitForFunction(() => (window as unknown as Win).p('gain').value === 3);
    expect((await logOf(a.page, 'mode')).map((entry) => entry.value)).toEqual(['sine']);
    expect(await a.page.evaluate(() => (window as unknown as Win).p('gain').text)).toBe('3.0 dB');
  });

  it('during a gesture values from elsewhere wait; the page gets the authoritative value at its end; events run start → changes → end', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const a = await openPage(wv, port);
    const b = await openPage(wv, port);
    const events = record(gain);
    await a.page.evaluate(() => {
      const g = (window as unknown as Win).p('gain');
      g.begin();
      g.set(-10);
      g.set(-12.34);
    });
    await until(() => gain.value === -12.3);
    await b.page.evaluate(() => (window as unknown as Win).p('gain').set(5));
    await until(() => gain.value === 5);
    gain.set(7);
    // B sees the host's 7; A, in its gesture, sees nothing from elsewhere.
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === 7);
    await a.page.evaluate(() => (window as unknown as Win).p('gain').set(-20));
    await until(() => gain.value === -20);
    expect((await logOf(a.page, 'gain')).map((entry) => entry.value)).toEqual([0]);
    await a.page.evaluate(() => (window as unknown as Win).p('gain').end());
    await until(() => events.some((event) => event.gesture?.phase === 'end'));
    // A got the authoritative value once its gesture ended (its own -20: nothing came after it).
    await a.page.waitForFunction(() => (window as unknown as Win).log.filter((e) => e.id === 'gain').length === 2);
    expect((await logOf(a.page, 'gain')).map((entry) => entry.value)).toEqual([0, -20]);
    expect(events.map((event) => (event.kind === 'gesture' ? event.gesture!.phase : `${event.change!.source}:${String(event.value)}:${event.change!.inGesture}`))).toEqual([
      'start',
      'page:-10:true',
      'page:-12.3:true',
      'page:5:false',
      'host:7:false',
      'page:-20:true',
      'end',
    ]);
    expect(events[0]!.gesture).toEqual({ phase: 'start', page: a.hostPage, from: 0 });
    expect(events.at(-1)!.gesture).toEqual({ phase: 'end', page: a.hostPage, from: 0, to: -20, reason: 'end' });
    // B, also in a gesture, gets the value the host holds when its gesture ends.
    await b.page.evaluate(() => (window as unknown as Win).p('gain').begin());
    await until(() => events.filter((event) => event.gesture?.phase === 'start').length === 2);
    gain.set(1);
    await b.page.evaluate(() => (window as unknown as Win).p('gain').end());
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === 1);
  });

  it('host automation at 1 kHz reaches a page at most once per frame, the latest value winning', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const a = await openPage(wv, port);
    const b = await openPage(wv, port);
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let i = 0;
      const timer = setInterval(() => {
        // About 1 kHz: several sets per timer tick when the machine is slow.
        for (let k = 0; k < 4 && i < 1000; k++) gain.set(-60 + (i++ % 700) / 10);
        if (i >= 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    const elapsed = performance.now() - started;
    const last = gain.value;
    for (const { page } of [a, b]) {
      await page.waitForFunction((v) => (window as unknown as Win).p('gain').value === v, last);
      const received = (await logOf(page, 'gain')).length - 1; // the initial value
      // Flushes to one page are at least an interval apart: at most one per 16 ms, plus the first.
      expect(received).toBeLessThanOrEqual(Math.ceil(performance.now() - started) / wv.options.parameterInterval + 2);
      expect(received).toBeLessThan(1000);
      expect(received).toBeGreaterThan(0);
    }
    expect(elapsed).toBeGreaterThan(0);
  });

  it('a page that disconnects mid-gesture ends it with reason disconnect; on reconnect it gets every current value at once', async () => {
    const { wv, port } = await startHost();
    const { gain, mode, bypass } = declare(wv);
    const a = await openPage(wv, port);
    const b = await openPage(wv, port);
    const events = record(gain);
    await a.page.evaluate(() => {
      const g = (window as unknown as Win).p('gain');
      g.begin();
      g.set(-3);
    });
    await until(() => gain.value === -3);
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === -3);
    const gone = nextEvent(wv, 'disconnect');
    a.hostPage.terminate(); // the connection dies; the client reconnects with its session
    await gone;
    await until(() => events.some((event) => event.gesture?.phase === 'end'));
    expect(events.at(-1)!.gesture).toEqual({ phase: 'end', page: a.hostPage, from: 0, to: -3, reason: 'disconnect' });
    mode.set('noise');
    bypass.set(true);
    await a.page.waitForFunction(() => (window as unknown as Win).p('bypass').value === true);
    const initial = (await a.page.evaluate(() => (window as unknown as Win).log)).filter((entry) => entry.initial);
    expect(initial.slice(3)).toEqual([
      { id: 'gain', value: -3, source: 'page', initial: true },
      { id: 'mode', value: 'noise', source: 'host', initial: true },
      { id: 'bypass', value: true, source: 'host', initial: true },
    ]);
    // The drag goes on after the reconnect: the gesture resumes, and its end closes it.
    await a.page.evaluate(() => {
      const g = (window as unknown as Win).p('gain');
      g.set(-4);
      g.end();
    });
    await until(() => events.filter((event) => event.gesture?.phase === 'end').length === 2);
    expect(events.slice(-3).map((event) => event.gesture?.phase ?? event.value)).toEqual(['start', -4, 'end']);
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === -4);
    expect(await a.page.evaluate(() => (window as unknown as Win).errors)).toEqual([]);
  });

  it('bad input gets a coded error and changes nothing: in the page at once, and from the host', async () => {
    const { wv, port } = await startHost();
    const { gain } = declare(wv);
    const errors: string[] = [];
    wv.on('error', (error) => errors.push(error.code));
    const a = await openPage(wv, port);
    const b = await openPage(wv, port);
    const thrown = await a.page.evaluate(() => {
      const g = (window as unknown as Win).p('gain');
      const codeOf = (run: () => void): string => {
        try {
          run();
          return 'none';
        } catch (error) {
          return (error as { code: string }).code;
        }
      };
      return [
        codeOf(() => g.set('loud')),
        codeOf(() => g.set(Number.NaN)),
        codeOf(() => g.set(13)),
        codeOf(() => g.end()),
        codeOf(() => { g.begin(); g.begin(); }),
        codeOf(() => (window as unknown as Win).p('mode').begin()),
        codeOf(() => g.end()),
      ];
    });
    expect(thrown).toEqual(['INVALID_PARAMETER_VALUE', 'INVALID_PARAMETER_VALUE', 'PARAMETER_OUT_OF_RANGE', 'GESTURE_NOT_STARTED', 'GESTURE_NESTED', 'GESTURE_INTERLEAVED', 'none']);
    await a.page.evaluate(() => (window as unknown as Win).p('nope').set(1));
    await a.page.waitForFunction(() => (window as unknown as Win).errors.length === 1);
    expect(await a.page.evaluate(() => (window as unknown as Win).errors)).toEqual([{ code: 'UNKNOWN_PARAMETER', parameter: 'nope' }]);
    expect(errors).toEqual(['UNKNOWN_PARAMETER']);
    expect(gain.value).toBe(0);
    // Nothing reached the other page: a later change is the first thing it sees after its initial values.
    gain.set(1);
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === 1);
    expect((await b.page.evaluate(() => (window as unknown as Win).log)).filter((entry) => !entry.initial)).toEqual([
      { id: 'gain', value: 1, source: 'host', initial: false },
    ]);
    expect(await b.page.evaluate(() => (window as unknown as Win).errors)).toEqual([]);
  });

  it('HISE mode: a client speaking HISE format against a host that behaves like HISE', async () => {
    const { wv, port } = await startHost({ extensions: false });
    const { gain, mode } = declare(wv);
    gain.set(-1);
    const a = await openPage(wv, port, '{ extensions: false }');
    const b = await openPage(wv, port);
    expect(await a.page.evaluate(() => (window as unknown as { client: { mode: string } }).client.mode)).toBe('legacy');
    expect(await b.page.evaluate(() => (window as unknown as { client: { mode: string } }).client.mode)).toBe('legacy');
    expect(await a.page.evaluate(() => (window as unknown as Win).p('gain').text)).toBe('-1.0 dB');
    const events = record(gain);
    await a.page.evaluate(() => {
      const g = (window as unknown as Win).p('gain');
      g.begin();
      g.set(-2);
    });
    await until(() => gain.value === -2);
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === -2);
    mode.set('saw');
    await b.page.waitForFunction(() => (window as unknown as Win).p('mode').value === 'saw');
    await a.page.waitForFunction(() => (window as unknown as Win).p('mode').value === 'saw');
    gain.set(4);
    await b.page.waitForFunction(() => (window as unknown as Win).p('gain').value === 4);
    await a.page.evaluate(() => (window as unknown as Win).p('gain').end());
    await a.page.waitForFunction(() => (window as unknown as Win).p('gain').value === 4);
    expect(events.map((event) => event.gesture?.phase ?? event.value)).toEqual(['start', -2, 4, 'end']);
    expect((await logOf(a.page, 'gain')).map((entry) => entry.value)).toEqual([-1, 4]);
    await a.page.evaluate(() => (window as unknown as Win).p('nope').set(1));
    await a.page.waitForFunction(() => (window as unknown as Win).errors.length === 1);
    expect(await a.page.evaluate(() => (window as unknown as Win).errors)).toEqual([{ code: 'UNKNOWN_PARAMETER', parameter: 'nope' }]);
  });

  it('attachDrag: a vertical drag is one gesture, double-click goes to the default; bindRange: keys make a gesture', async () => {
    const { wv, port } = await startHost();
    const { gain, mode } = declare(wv);
    const a = await openPage(wv, port);
    const events = record(gain);
    await a.page.evaluate(() => (window as unknown as Win).attach());
    const box = (await a.page.locator('#knob').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await a.page.mouse.move(x, y);
    await a.page.mouse.down();
    await a.page.mouse.move(x, y - 50, { steps: 5 });
    await a.page.mouse.move(x, y - 100, { steps: 5 }); // half the 200 px: half the range above 0 dB's position
    await a.page.mouse.up();
    await until(() => events.some((event) => event.gesture?.phase === 'end'));
    const end = events.find((event) => event.gesture?.phase === 'end')!.gesture as { from: number; to: number };
    expect(end.from).toBe(0);
    expect(end.to).toBe(12); // 0 dB sits at 60/72 of the range; +0.5 of it clamps at the top
    expect(events[0]!.gesture?.phase).toBe('start');
    expect(events.filter((event) => event.kind === 'change').length).toBeGreaterThan(1);
    await a.page.mouse.dblclick(x, y);
    await until(() => gain.value === 0);
    expect(events.filter((event) => event.gesture?.phase === 'end').length).toBe(2);
    // A range bound to the choice parameter: two key presses, one gesture (closed after a quiet spell).
    const modeEvents = record(mode);
    await a.page.evaluate(() => (window as unknown as Win).bind('mode'));
    await a.page.focus('#range');
    await a.page.evaluate(() => {
      // Two presses in one task, as a held key repeats (separate round trips could outlast the quiet spell on a loaded machine).
      const range = document.activeElement!;
      for (let i = 0; i < 2; i++) range.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
    });
    await until(() => modeEvents.some((event) => event.gesture?.phase === 'end'));
    expect(modeEvents.map((event) => event.gesture?.phase ?? event.value)).toEqual(['start', 'saw', 'noise', 'end']);
  });
});
