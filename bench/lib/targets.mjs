// The targets of issue 6, judged against result rows. Reported (met / not met / n/a), never enforced.
const find = (rows, scenario, client, floats) =>
  rows.find((r) => r.scenario === scenario && r.client === client && (floats === undefined || r.floats === floats) && r.skipped === undefined && r.error === undefined);

/** Median of per-run ratios a/b when both rows have the same runs (measured seconds apart), else ratio of medians. */
function pairedRatio(a, b) {
  const ra = a.runsFramesPerSec;
  const rb = b.runsFramesPerSec;
  if (!ra || !rb || ra.length !== rb.length) return a.framesPerSec / b.framesPerSec;
  const ratios = ra.map((x, i) => x / rb[i]).sort((x, y) => x - y);
  const mid = ratios.length >> 1;
  return ratios.length % 2 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

export function judgeTargets(rows) {
  const out = [];
  const add = (target, actual, met) => out.push({ target, actual, status: met === undefined ? 'n/a' : met ? 'met' : 'not met' });

  const sizes = [...new Set(rows.filter((r) => r.scenario === 'throughput').map((r) => r.floats))];
  // Issue 26: the modern client (owned frames, flow control on) at 0.95x raw; issue 6's 0.9x for the others.
  for (const [client, least] of [['drop-in', 0.9], ['modern', 0.95], ['modern-fc-off', 0.9]]) {
    const ratios = sizes.map((f) => [f, find(rows, 'throughput', client, f)?.ratioToRaw]);
    const have = ratios.filter(([, r]) => Number.isFinite(r));
    add(
      `${client} throughput >= ${least}x raw ws at every size`,
      have.length ? have.map(([f, r]) => `${f}: ${fmt(r)}x`).join(', ') : 'no data',
      have.length === sizes.length && sizes.length > 0 ? have.every(([, r]) => r >= least) : undefined,
    );
  }
  // Issue 26: the drop-in against a raw page that copies its samples (what HISE's format forces).
  const vsCopy = sizes
    .map((f) => [f, find(rows, 'throughput', 'drop-in', f), find(rows, 'throughput', 'raw-ws-copy', f)])
    .filter(([, a, b]) => a && b)
    .map(([f, a, b]) => [f, pairedRatio(a, b)]);
  add('drop-in throughput >= 0.95x a raw page that copies (every size)', vsCopy.length ? vsCopy.map(([f, r]) => `${f}: ${fmt(r)}x`).join(', ') : 'no data', vsCopy.length ? vsCopy.every(([, r]) => r >= 0.95) : undefined);
  const d512 = find(rows, 'throughput', 'drop-in', 512);
  const s512 = find(rows, 'throughput', 'hise-stock', 512);
  const vsStock = d512 && s512 ? pairedRatio(d512, s512) : NaN;
  add("drop-in >= 10x HISE's stock client at 512 floats", Number.isFinite(vsStock) ? `${fmt(vsStock)}x` : 'stock client not measured', Number.isFinite(vsStock) ? vsStock >= 10 : undefined);
  const vsIo = sizes
    .map((f) => [f, find(rows, 'throughput', 'drop-in', f), find(rows, 'throughput', 'socket-io', f)])
    .filter(([, a, b]) => a && b)
    .map(([f, a, b]) => [f, pairedRatio(a, b)]);
  add('drop-in >= 2x Socket.IO (every size)', vsIo.length ? vsIo.map(([f, r]) => `${f}: ${fmt(r)}x`).join(', ') : 'no data', vsIo.length ? vsIo.every(([, r]) => r >= 2) : undefined);
  for (const client of ['modern', 'drop-in']) {
    const rt = find(rows, 'roundtrip', client);
    add(
      `round trip p50 <= 1.1x raw ws (${client})`,
      rt ? `${fmt(rt.p50Ms, 3)} ms = ${fmt(rt.ratioToRaw)}x raw` : 'no data',
      rt && Number.isFinite(rt.ratioToRaw) ? rt.ratioToRaw <= 1.1 : undefined,
    );
  }
  const rawFanout = find(rows, 'fanout', 'raw-ws');
  for (const client of ['modern', 'drop-in']) {
    const f = find(rows, 'fanout', client);
    const ratio = f && rawFanout ? f.hostCpuPercent / rawFanout.hostCpuPercent : NaN;
    add(`fan-out host CPU <= 1.1x raw ws (${client})`, Number.isFinite(ratio) ? `${fmt(f.hostCpuPercent, 1)} % vs ${fmt(rawFanout.hostCpuPercent, 1)} % = ${fmt(ratio)}x` : 'no data', Number.isFinite(ratio) ? ratio <= 1.1 : undefined);
  }
  const onMain = find(rows, 'main-thread', 'modern-main');
  const inWorker = find(rows, 'main-thread', 'modern-worker');
  add(
    'worker client: main-thread busy time (16 streams drawn) <= 10% of the main-thread client',
    onMain && inWorker ? `${fmt(inWorker.busyMsPerSec, 1)} vs ${fmt(onMain.busyMsPerSec, 1)} ms/s = ${fmt(inWorker.busyMsPerSec / onMain.busyMsPerSec)}x` : 'no data',
    onMain && inWorker ? inWorker.busyMsPerSec <= 0.1 * onMain.busyMsPerSec : undefined,
  );
  add(
    'worker client: scope drawn >= 55 fps under a 200 ms main-thread jank every second',
    inWorker ? `${fmt(inWorker.drawnFpsUnderJank, 1)} fps (main-thread client: ${onMain ? fmt(onMain.drawnFpsUnderJank, 1) : 'n/a'} fps)` : 'no data',
    inWorker ? inWorker.drawnFpsUnderJank >= 55 : undefined,
  );
  for (const stall of rows.filter((r) => r.scenario === 'stall' && r.maxBufferedBytes !== undefined)) {
    add(
      `stalled page memory <= highWaterMark + one frame per stream id (${stall.client})`,
      `max ${stall.maxBufferedBytes} B, limit ${stall.limitBytes} B${stall.overshootBytes ? ` (over by ${stall.overshootBytes} B)` : ''}`,
      stall.withinLimit,
    );
    add(
      `no stale stream frame after the stall (${stall.client})`,
      `${stall.staleFramesAfterResume} frames sent before the resume arrived after it (max ${stall.maxStaleFramesPerId} per id), ${stall.reorderedFrames} reordered`,
      stall.staleFramesAfterResume <= 16 && stall.reorderedFrames === 0,
    );
  }
  const joined = rows.find((r) => r.scenario === 'shared-port' && r.client === 'joined instance' && r.addedP50Ms !== undefined);
  add('shared port: round trip p50 through the hub <= single host + 0.2 ms', joined ? `+${fmt(joined.addedP50Ms, 3)} ms` : 'no data', joined ? joined.addedP50Ms <= 0.2 : undefined);
  for (const row of rows.filter((r) => r.scenario === 'shared-port' && r.failoverMs !== undefined)) {
    add(`shared port: ${row.client} takeover <= 1000 ms`, `max ${fmt(row.maxMs, 1)} ms`, row.maxMs <= 1000);
  }
  // Fresh streams (issue 14): the modern client with them on, against them off in the same run.
  const stallOn = rows.find((r) => r.scenario === 'stall' && r.client === 'modern' && r.maxBufferedBytes !== undefined);
  if (stallOn) {
    add(
      'fresh streams: stale frames after the stall <= 1 per id (modern)',
      `max ${stallOn.maxStaleFramesPerId} per id (${stallOn.maxStaleOlderThanPeriodPerId} per id older than one frame period)`,
      stallOn.maxStaleFramesPerId <= 1,
    );
    add('fresh streams: first fresh frame within one frame period of the resume (modern)', `${fmt(stallOn.firstFreshFrameMs, 1)} ms`, stallOn.firstFreshFrameMs <= 1000 / 60);
  }
  const fresh = (kase, client) => rows.find((r) => r.scenario === 'freshness' && r.case === kase && r.client === client && r.error === undefined);
  const slowOn = fresh('slow consumer', 'modern');
  const slowOff = fresh('slow consumer', 'modern-fc-off');
  if (slowOn) {
    add(
      'fresh streams: slow consumer frame age p99 <= 33 ms',
      `p50 ${fmt(slowOn.p50Ms, 1)} / p99 ${fmt(slowOn.p99Ms, 1)} ms` + (slowOff ? ` (off: p50 ${fmt(slowOff.p50Ms, 1)} / p99 ${fmt(slowOff.p99Ms, 1)} ms)` : ''),
      slowOn.p99Ms <= 33,
    );
  }
  const hiddenOn = fresh('hidden page', 'modern');
  if (hiddenOn) {
    add(
      'fresh streams: hidden page gets 0 stream bytes, every stream within 50 ms of visible',
      `${hiddenOn.hiddenBytes} B while hidden, every stream ${fmt(hiddenOn.allStreamsAfterVisibleMs, 1)} ms after visible`,
      hiddenOn.hiddenBytes === 0 && hiddenOn.allStreamsAfterVisibleMs <= 50,
    );
  }
  const rateOn = fresh('rate cap', 'modern');
  if (rateOn) add('fresh streams: maxRate 30 on a 60 fps stream gives 30 ± 1 frames/s', `${fmt(rateOn.framesPerSec, 1)} frames/s`, Math.abs(rateOn.framesPerSec - 30) <= 1);
  // Parameters (issue 13): each path against the plain message path of the same run, and one frame.
  for (const path of ['page gesture → host change', 'host set → other page subscribe']) {
    const p = find(rows, 'parameters', `${path}: parameter`);
    add(
      `parameters p50 <= 1.1x the message path, p99 <= one frame (${path})`,
      p ? `p50 ${fmt(p.p50Ms, 3)} ms = ${fmt(p.ratioToRaw)}x, p99 ${fmt(p.p99Ms, 2)} ms` : 'no data',
      p && Number.isFinite(p.ratioToRaw) ? p.ratioToRaw <= 1.1 && p.p99Ms <= 1000 / 60 : undefined,
    );
  }
  for (const what of ['encodeFloat32', 'decodeMessage (copy)']) {
    const c = find(rows, 'codec', what, 8192);
    add(`codec ${what} >= 2 GB/s at 8192 floats`, c ? `${fmt(c.mbPerSec / 1000)} GB/s` : 'no data', c ? c.mbPerSec >= 2000 : undefined);
  }
  return out;
}

export function printTargets(targets, { quick = false } = {}, out = console.log) {
  out('');
  out(quick ? 'Targets (quick mode: tiny counts, the figures mean nothing):' : 'Targets (reported, never enforced):');
  for (const t of targets) out(`  [${t.status.padEnd(7)}] ${t.target}: ${t.actual}`);
}
