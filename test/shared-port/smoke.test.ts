import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, InstanceProcess } from './instance-handle.js';

const dir = mkdtempSync(join(tmpdir(), 'hise-shared-'));
const all: InstanceProcess[] = [];
afterAll(async () => { await Promise.all(all.map((i) => i.stop())); });

it('smoke', async () => {
  const port = await freePort();
  const a = new InstanceProcess(port, dir); all.push(a);
  const sa = await a.started();
  const b = new InstanceProcess(port, dir); all.push(b);
  const sb = await b.started();
  const c = new InstanceProcess(port, dir); all.push(c);
  const sc = await c.started();
  console.log(sa.role, sb.role, sc.role, sc.list);
  await b.command('instanceSend', { to: 'all', id: 'hi', data: { x: 1 } });
  await a.waitFor((e) => e.ev === 'instance-message');
  await c.waitFor((e) => e.ev === 'instance-message');
  a.kill();
  const t = Date.now();
  await b.waitFor((e) => e.ev === 'role' && e.role === 'hub');
  await c.waitFor((e) => e.ev === 'join' || (e.ev==='role' && e.role==='member'));
  console.log('takeover', Date.now() - t, (await c.state()));
  expect(1).toBe(1);
}, 60_000);
