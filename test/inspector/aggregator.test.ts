import { describe, expect, it } from 'vitest';
import { WebView, type Observation, type Page } from '../../src/host/index.js';
import { Aggregator, observedHost } from '../../src/inspector/aggregator.js';
import { GESTURE_POINTS, GESTURES_KEPT } from '../../src/inspector/parameter-timeline.js';
import { ENTRY_OVERHEAD_BYTES, entryBytes, History } from '../../src/inspector/history.js';
import { Ring } from '../../src/inspector/ring.js';
import { RECENT_FRAMES, RUN_GAP } from '../../src/inspector/streams.js';
import { LOG_ENTRIES_PER_SNAPSHOT } from '../../src/inspector/snapshot.js';
import { bounded, lineOf, MAX_ITEMS, MAX_LINE, MAX_NODES, MAX_TEXT, previewOf } from '../../src/inspector/summary.js';

// What the inspector shows is bounded whatever the host sends, and costs counters per message.

const LIMITS = { logSize: 50, logBytes: 1024 * 1024, callLogSize: 5, previewPoints: 64, sampleInterval: 100, maxIds: 3 };
const host = { pages: [] as Page[], retainedValues: new Map<string, unknown>([['state', { on: true }]]), parameters: new Map(), persistentCalls: [] };
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
  it('counts every frame and previews a stream at the sample interval in one log entry (a run); logs every control message', () => {
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
    expect(scopeLines).toEqual([{ seq: 1, time: 1000, direction: 'out', id: 'scope', page: undefined, text: 'Float32Array(512)', stream: { frames: 1000, bytes: 1000 * 2048, end: 1999 } }]);
    expect(scope.run).toEqual({ seq: 1, frames: 1000, bytes: 1000 * 2048 });
    expect(scope.recent).toHaveLength(RECENT_FRAMES);
    expect(scope.recent.at(-1)).toEqual({ time: 1999, bytes: 2048, result: 'sent' });
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
      const aggregator = new Aggregator(observedHost(wv), LIMITS);
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

  it('starts a new run (a new log line) after a pause longer than RUN_GAP, and counts frames of untracked ids without logging them', () => {
    const aggregator = new Aggregator(host, LIMITS);
    const frame = new Uint8Array(100);
    for (let i = 0; i < 50; i++) aggregator.observe(send('meter', frame, i * 16));
    aggregator.observe(send('label', 'between', 900));
    for (let i = 0; i < 30; i++) aggregator.observe(send('meter', frame, 784 + RUN_GAP + 1 + i * 16));
    const runs = aggregator.snapshot(5000).log.filter((e) => e.id === 'meter');
    expect(runs.map((e) => e.stream?.frames)).toEqual([50, 30]);
    expect(aggregator.snapshot(5000).streams.find((s) => s.id === 'meter')!.run).toMatchObject({ seq: runs[1]!.seq, frames: 30 });
    for (const id of ['a', 'b']) aggregator.observe(send(id, 'x', 6000)); // maxIds 3: meter, label, a
    for (let i = 0; i < 100; i++) aggregator.observe(send('b', frame, 6000 + i));
    const snapshot = aggregator.snapshot(7000);
    expect(snapshot.untrackedFrames).toBe(100);
    expect(snapshot.log.filter((e) => e.id === 'b')).toHaveLength(1); // its control message only
  });

  it("marks the bridge's own calls and $ ids internal", () => {
    const aggregator = new Aggregator(host, LIMITS);
    const page = { id: 1 } as Page;
    aggregator.observe({ type: 'call', time: 1, call: 1, direction: 'page-to-host', kind: 'bridge', name: '$sync', args: [0], page });
    aggregator.observe({ type: 'call', time: 2, call: 2, direction: 'host-to-page', kind: 'callFunction', name: 'initWebSocket', args: [8080], page });
    aggregator.observe(send('$bindings', ['double'], 3));
    aggregator.observe(send('title', 'Synth', 4));
    const snapshot = aggregator.snapshot(10);
    expect(snapshot.calls.map((c) => [c.name, c.internal])).toEqual([['$sync', true], ['initWebSocket', false]]);
    expect(snapshot.log.map((e) => [e.id, e.internal])).toEqual([['$bindings', true], ['title', undefined]]);
  });

  it('keeps a history bounded in entries and in bytes; a large payload is kept as a one-line summary', () => {
    const entry = (seq: number, text: string) => ({ seq, time: seq, direction: 'out' as const, id: 'id', page: undefined, text });
    const counted = new History(100, 1024 * 1024);
    for (let seq = 1; seq <= 250; seq++) counted.push(entry(seq, 'x'));
    expect(counted.size).toBe(100);
    expect(counted.forgotten).toBe(150);
    expect(counted.last(1000).map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i));
    const history = new History(100, 16 * 1024);
    for (let seq = 251; seq <= 400; seq++) history.push(entry(seq, 'y'.repeat(MAX_LINE)));
    expect(history.bytes).toBeLessThanOrEqual(16 * 1024);
    expect(history.size).toBe(Math.floor((16 * 1024) / entryBytes(entry(0, 'y'.repeat(MAX_LINE)))));
    expect(entryBytes(entry(0, ''))).toBe(ENTRY_OVERHEAD_BYTES + 4);

    const aggregator = new Aggregator(host, { ...LIMITS, logBytes: 16 * 1024 });
    const huge = { text: 'z'.repeat(1_000_000), list: Array.from({ length: 10_000 }, (_, i) => i) };
    for (let i = 0; i < 200; i++) aggregator.observe(send(`big${i % 2}`, i % 2 === 0 ? huge : 'w'.repeat(1_000_000), i));
    const kept = aggregator.history();
    expect(kept.log.length).toBeGreaterThan(10);
    expect(kept.forgotten + kept.log.length).toBe(200);
    for (const e of kept.log) expect(e.text.length).toBeLessThanOrEqual(MAX_LINE);
    expect(kept.log.reduce((sum, e) => sum + entryBytes(e), 0)).toBeLessThanOrEqual(16 * 1024);
  });

  it('its history and the snapshots after it cover every entry once: the last history seq is followed by the next snapshot entry', () => {
    const aggregator = new Aggregator(host, { ...LIMITS, logSize: 1000 });
    for (let i = 0; i < 300; i++) aggregator.observe(send('tick', i, i));
    const history = aggregator.history();
    expect(history.log.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    for (let i = 300; i < 310; i++) aggregator.observe(send('tick', i, i));
    const snapshot = aggregator.snapshot(400);
    expect(snapshot.epoch).toBe(history.epoch);
    const merged = new Map([...history.log, ...snapshot.log].map((e) => [e.seq, e.text]));
    expect([...merged.values()]).toEqual(Array.from({ length: 310 }, (_, i) => String(i)));
    expect(new Aggregator(host, LIMITS).epoch).not.toBe(aggregator.epoch);
    // What a page that missed snapshots asks for: the entries after the last it has.
    expect(aggregator.logAfter(250, 5).log.map((e) => e.seq)).toEqual([251, 252, 253, 254, 255]);
    expect(aggregator.logAfter(0, 2).log.map((e) => e.seq)).toEqual([1, 2]);
    expect(aggregator.logAfter(310, 5).log).toEqual([]);
    const small = new Aggregator(host, { ...LIMITS, logSize: 10 });
    for (let i = 0; i < 30; i++) small.observe(send('tick', i, i));
    expect(small.logAfter(3, 100)).toMatchObject({ forgotten: 20, log: Array.from({ length: 10 }, (_, i) => ({ seq: 21 + i })) });
  });
});
