import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../cli/cli-process.js';
import { startHiseEmulator } from '../helpers/hise-emulator.js';

// Issue 22: `hise-webview proxy` as a user runs it (a real CLI process) against the emulated HISE.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-cli-proxy-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('hise-webview proxy', () => {
  it('connects to HISE, says so, and serves the root on its own port', async () => {
    const hise = await startHiseEmulator();
    const cli = await startCli(['proxy', dir, '--hise', String(hise.port), '--port', '0']);
    try {
      await cli.waitForLine(new RegExp(`connected to HISE at port ${hise.port}`));
      expect(hise.pageCount).toBe(1); // the proxy's one connection
      await cli.waitForLine(new RegExp(`host proxy to HISE at 127\\.0\\.0\\.1:${hise.port}`));
      const response = await fetch(cli.url);
      expect(response.status).toBe(200);
    } finally {
      expect(await cli.stop()).toBe(0);
      await hise.close();
    }
  });

  it('without --hise: one line naming it, exit 1', async () => {
    const { code, stderr } = await runCli(['proxy', dir]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--hise <1-65535>');
  });

  it('--module is not an option of proxy (HISE is the host); --help lists --hise', async () => {
    const refused = await runCli(['proxy', dir, '--hise', '8123', '--module', 'host.ts']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown option --module');
    const help = await runCli(['proxy', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--hise', '--port', '--inspect', '--record', '--token']) expect(help.stdout).toContain(option);
  });
});
