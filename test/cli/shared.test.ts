import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../shared-port/instance-handle.js';
import { startCli, type CliProcess } from './cli-process.js';

// `hise-webview serve --shared`: two CLIs on one port, the second joins the first; when the first
// stops, the second takes the port over.

const runtime = mkdtempSync(join(tmpdir(), 'hise-cli-shared-'));
process.env.XDG_RUNTIME_DIR = runtime; // the children's per-user runtime directory: this test's own secret
const clis: CliProcess[] = [];
afterAll(async () => {
  await Promise.all(clis.map((cli) => cli.stop()));
  rmSync(runtime, { recursive: true, force: true });
});

it('a second `serve --shared` on the same port joins the first, and takes over when it stops', async () => {
  writeFileSync(join(runtime, 'index.html'), '<!doctype html><title>shared</title>');
  const port = String(await freePort());
  const first = await startCli(['serve', runtime, '--port', port, '--shared']);
  clis.push(first);
  await first.waitForLine(/shared port \d+: holding it as the hub/);
  const second = await startCli(['serve', runtime, '--port', port, '--shared']);
  clis.push(second);
  await second.waitForLine(new RegExp(`shared port ${port}: joined the hub`));
  // Both print the shared port's URL: the hub serves the pages there, whichever instance prints it.
  expect(first.url).toBe(`http://127.0.0.1:${port}/`);
  expect(second.url).toBe(`http://127.0.0.1:${port}/`);
  expect(await second.waitForLine(/the hub serves its root there; this instance's own: http:\/\/127\.0\.0\.1:\d+\//)).not.toContain(`:${port}/`);
  expect(await first.stop()).toBe(0);
  await second.waitForLine(/now the hub/, 20_000);
});
