import { describe, expect, it } from 'vitest';
import { WebView, type Observation, type Page } from '../../src/host/index.js';
import { Aggregator } from '../../src/inspector/aggregator.js';
import { GESTURE_POINTS, GESTURES_KEPT } from '../../src/inspector/parameter-timeline.js';
import { Ring } from '../../src/inspector/ring.js';
import { LOG_ENTRIES_PER_SNAPSHOT } from '../../src/inspector/snapshot.js';
import { bounded, lineOf, MAX_ITEMS, MAX_LINE, MAX_NODES, MAX_TEXT, previewOf } from '../../src/inspector/summary.js';

// What the inspector shows is bounded whatever the host sends, and costs counters per message.

const LIMITS = { logSize: 50, callLogSize: 5, previewPoints: 64, sampleInterval: 100, maxIds: 3 };
const host = { pages: [] as Page[], retainedValues: new Map<string, unknown>([['state', { on: true }]]), parameters: new Map() };
const send = (id: string, data: unknown, time: number, result: 'sent' | 'queued' | 'dropped' = 'sent'): Observation => ({ type: 'send', time, id, data, stream: ArrayBuffer.isView(data), page: undefined, result, via: 'send', retained: false, meta: undefined });

describe('summaries', () => {
  it('decimates a typed array to min and max per bucket, so a one-sample peak survives', () => {
    const data = new Float32Array(10_000);
    data[7777] = 0.9;
    data[1234] = -0.8;
    data[5] = Number.NaN;
    const preview = previewOf(data, 64);
    expect(preview).toMatchObject({ kind: 'scope', type: 'Float32Array', length: 10_000, max: expect.closeTo(0.9, 5), min: expect.closeTo(-0.8, 5) });
    expect(preview.kind === 'scope' && preview.points.length).toBe(64);
    expect(previewOf(new Int16Array([1, -2, 3]), 64)).toMatchObject({ kind: 'scope', type: 'Int16Array', points: [1, -2, 3] });
  });

  it('cuts strings, deep and wide JSON, and one-line summaries', () => {
    expect(previewOf('x'.repeat(MAX_TEXT * 3), 64)).toMatchObject({ kind: 'text', length: MAX_TEXT * 3 });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(bounded(deep, 6))).toContain('"…"');
    const wide = bounded(Array.from({ length: 1000 }, (_, i) => i), 6) as unknown[];
    expect(wide).toHaveLength(MAX_ITEMS + 1);
    const cube = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`k${j}`, Array.from({ length: 40 }, () => 1)]))]));
    expect(JSON.stringify(bounded(cube, 6)).length).toBeLessThan(MAX_NODES * 12);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => JSON.stringify(bounded(cyclic, 6))).not.toThrow();
    expect(lineOf({ text: 'y'.repeat(10_000) }).length).toBeLessThanOrEqual(MAX_LINE);
    expect(lineOf(new Float64Array(3))).toBe('Float64Array(3)');
  });

  it('a ring keeps the newest items in order', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.last(10)).toEqual([3, 4, 5]);
    expect(ring.last(2)).toEqual([4, 5]);
  });
});

describe('aggregator', () => {
  it('counts every frame, previews and logs a stream at the sample interval, logs every control message', () => {
    const aggregator = new Aggregator(host, LIMITS);
    const frame = new Float32Array(512).fill(0.5);
    for (let i = 0; i < 1000; i++) aggregator.observe(send('scope', frame, 1000 + i)); // 1000 frames over 1 s
    aggregator.observe(send('label', 'hello', 1500));
    aggregator.observe(send('late', 'x', 1600, 'dropped'));
    const snapshot = aggregator.snapshot(2100);
    const scope = snapshot.streams.find((s) => s.id === 'scope')!;
    expect(scope).toMatchObject({ direction: 'out', type: 'Float32Array', size: 512, messages: 1000, preview: { kind: 'scope', length: 512 } });
    expect(scope.messagesPerSecond).toBeGreaterThan(400);
    expect(scope.bytesPerSecond).toBeCloseTo(scope.messagesPerSecond * 2048, 0);
    const scopeLines = snapshot.log.filter((e) => e.id === 'scope');
    expect(scopeLines.length).toBe(10);
    expect(scopeLines[1]!.text).toBe('Float32Array(512) (+99 frames not shown)');
    expect(snapshot.log.find((e) => e.id === 'label')).toMatchObject({ text: '"hello"', result: 'sent' });
    expect(snapshot.streams.find((s) => s.id === 'late')).toMatchObject({ dropped: 1 });
    expect(snapshot.retained).toEqual([{ id: 'state', type: 'JSON', preview: { kind: 'json', value: { on: true } } }]);
  });

  it('keeps its log, calls and ids bounded', () => {
    const aggregator = new Aggregator(host, LIMITS);
    for (let i = 0; i < 500; i++) aggregator.observe(send(`id${i}`, String(i), i));
    const page = { id: 1 } as Page;
    for (let call = 1; call <= 20; call++) {
      aggregator.observe({ type: 'call', time: call, call, direction: 'host-to-page', kind: 'call', name: 'f', args: [call], page });
      aggregator.observe({ type: 'settle', time: call + 1, call, duration: 1, ok: false, error: { name: 'CallError', message: 'no', code: 'NOPE' } });
    }
    const snapshot = aggregator.snapshot(1000);
    expect(snapshot.streams).toHaveLength(LIMITS.maxIds);
    expect(snapshot.log.length).toBeLessThanOrEqual(Math.min(LIMITS.logSize, LOG_ENTRIES_PER_SNAPSHOT));
    expect(snapshot.log.at(-1)).toMatchObject({ id: 'id499', text: '"499"' });
    expect(snapshot.calls.map((c) => c.args)).toEqual(['16', '17', '18', '19', '20']);
    expect(snapshot.calls[0]).toMatchObject({ ok: false, errorCode: 'NOPE', duration: 1 });
  });

  it('folds parameter changes and gestures into a bounded timeline per page, reading values and specs from the host', async () => {
    const wv = new WebView();
    try {
      const aggregator = new Aggregator(wv, LIMITS);
      const stop = wv.observe(aggregator.observe);
      const gain = wv.parameter('gain', { min: 0, max: 1, default: 0.5, label: 'Gain' });
      const wave = wv.parameter('wave', { choices: Array.from({ length: 20 }, (_, i) => `w${i}`) });
      const page = { id: 7 } as Page;
      const change = (value: number, inGesture: boolean): Observation => ({ type: 'parameter', time: 1, id: 'gain', value, text: String(value), source: 'page', page, inGesture });
      for (let g = 0; g < GESTURES_KEPT + 3; g++) {
        aggregator.observe({ type: 'gesture', time: 1, id: 'gain', phase: 'start', page, from: g });
        for (let i = 0; i < GESTURE_POINTS + 5; i++) aggregator.observe(change(i, true));
        aggregator.observe({ type: 'gesture', time: 2, id: 'gain', phase: 'end', page, from: g, to: GESTURE_POINTS + 4, reason: g % 2 === 0 ? 'end' : 'disconnect' });
      }
      aggregator.observe({ type: 'gesture', time: 3, id: 'gain', phase: 'start', page, from: 0.25 });
      gain.set(0.75);
      const [gainView, waveView] = aggregator.snapshot(10).parameters;
      expect(gainView).toMatchObject({ id: 'gain', type: 'number', spec: 'number 0…1, default 0.5 "Gain"', value: 0.75, source: 'host', page: undefined });
      expect(gainView!.changes).toBe((GESTURES_KEPT + 3) * (GESTURE_POINTS + 5) + 1);
      expect(gainView!.gestures).toHaveLength(GESTURES_KEPT);
      const last = gainView!.gestures.at(-1)!;
      expect(last).toMatchObject({ page: 7, from: 0.25, end: undefined, changes: 0 }); // open; the host's set is no change of it
      const ended = gainView!.gestures.at(-2)!;
      expect(ended).toMatchObject({ from: GESTURES_KEPT + 2, to: GESTURE_POINTS + 4, reason: 'end', changes: GESTURE_POINTS + 5 });
      expect(ended.values).toEqual(Array.from({ length: GESTURE_POINTS }, (_, i) => i + 5));
      expect(waveView!.spec).toBe('choice: w0, w1, w2, w3, w4, w5, w6, w7 (+12), default w0');
      for (let i = 0; i < LIMITS.maxIds; i++) wv.parameter(`p${i}`, { type: 'boolean' });
      expect(aggregator.snapshot(11).parameters.map((p) => p.id)).toEqual(['gain', 'wave', 'p0']); // the first maxIds
      stop();
    } finally {
      await wv.close();
    }
  });
});
