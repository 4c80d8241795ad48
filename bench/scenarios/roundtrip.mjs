// Scenario 2: round trip page call → host handler → page result, p50/p99/max, one call at a time.
// raw ws: id-tagged JSON request/response; Socket.IO: emitWithAck; modern: c.call; drop-in: a JSON
// text `{rpc, arg}` answered with sendToWebSocket('rpc', …), which is how a HISE page does it today.
import { client } from '../lib/clients.mjs';
import { isMain, runStandalone } from '../lib/cli.mjs';
import { withSession } from '../lib/session.mjs';
import { median, percentile, round } from '../lib/stats.mjs';

export const ROUNDTRIP_CLIENTS = ['raw-ws', 'drop-in', 'modern', 'socket-io'];

/** Page side: sequential calls; reports the measured ones' durations in ms. */
async function roundtripPage({ params, client, report }) {
  const times = [];
  for (let i = 0; i < params.warm + params.calls; i++) {
    const arg = { n: i, text: 'ping' };
    const t = performance.now();
    const result = await client.call(arg);
    const dt = performance.now() - t;
    if (result?.n !== i) throw new Error(`call ${i} returned ${JSON.stringify(result)}`);
    if (i >= params.warm) times.push(dt);
  }
  await report('ready', {});
  await report('times', { times, isolated: crossOriginIsolated });
}

export async function run({ server, quick = false, runs = quick ? 1 : 3, clients, log = () => {} }) {
  const names = (clients ?? ROUNDTRIP_CLIENTS).filter((n) => ROUNDTRIP_CLIENTS.includes(n));
  const params = { warm: quick ? 20 : 300, calls: quick ? 100 : 2000 };
  const rows = [];
  const perClient = new Map();
  for (let r = 0; r < runs; r++) {
    for (const name of names) {
      const adapter = client(name);
      const available = adapter.available();
      if (!available.ok) {
        if (r === 0) rows.push({ scenario: 'roundtrip', client: name, skipped: available.reason, note: `skipped: ${available.reason}` });
        continue;
      }
      log(`roundtrip: ${name}, run ${r + 1}/${runs}`);
      try {
        const { times, isolated } = await withSession({ adapter, server, scenario: roundtripPage, params }, () => server.next('times', 120_000));
        if (!isolated) log('roundtrip: page is not cross-origin isolated: performance.now() is coarsened to 100 µs');
        if (!perClient.has(name)) perClient.set(name, []);
        perClient.get(name).push(times.sort((a, b) => a - b));
      } catch (error) {
        log(`roundtrip: ${name} failed: ${error.message}`);
        if (!perClient.has(name)) perClient.set(name, []);
        perClient.get(name).error = error.message;
      }
    }
  }
  const summary = (runsTimes) => ({
    p50Ms: median(runsTimes.map((t) => percentile(t, 50))),
    p99Ms: median(runsTimes.map((t) => percentile(t, 99))),
    maxMs: Math.max(...runsTimes.map((t) => t[t.length - 1])),
  });
  const raw = perClient.get('raw-ws')?.length ? summary(perClient.get('raw-ws')) : undefined;
  for (const [name, runsTimes] of perClient) {
    if (runsTimes.length === 0) {
      rows.push({ scenario: 'roundtrip', client: name, error: runsTimes.error, ok: false, note: `failed: ${runsTimes.error}` });
      continue;
    }
    const s = summary(runsTimes);
    rows.push({
      scenario: 'roundtrip',
      client: name,
      calls: params.calls,
      runs: runsTimes.length,
      p50Ms: round(s.p50Ms, 3),
      p99Ms: round(s.p99Ms, 3),
      maxMs: round(s.maxMs, 3),
      ratioToRaw: raw ? round(s.p50Ms / raw.p50Ms, 3) : undefined,
      ok: runsTimes.every((t) => t.length === params.calls && Number.isFinite(t[0])),
    });
  }
  const order = (row) => ROUNDTRIP_CLIENTS.indexOf(row.client);
  return rows.sort((a, b) => order(a) - order(b));
}

if (isMain(import.meta.url)) await runStandalone('roundtrip', run);
