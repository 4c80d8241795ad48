import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';

// `hise-webview` as a user runs it: usage, and one-line errors with exit code 1 (no stack traces).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-cli-errors-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(dir, 'throws.ts'), "export default function host(): void { throw new Error('boom at start'); }\n");
  await writeFile(join(dir, 'no-function.ts'), 'export const answer: number = 42;\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** stderr of a failed run: exactly one line, prefixed with the command's name. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hise-webview: /);
  return lines[0]!;
}

describe.concurrent('hise-webview usage', () => {
  it('--help lists the serve command and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('serve <root>');
  });

  it('serve --help lists its options', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    for (const option of ['--host', '--port', '--open', '--signal', '--token', '--images']) expect(stdout).toContain(option);
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hise-webview\/\d+\.\d+\.\d+/);
  });
});

describe.concurrent('hise-webview serve: errors exit 1 with one line', () => {
  it('a missing root', async () => {
    const { code, stderr } = await runCli(['serve', join(dir, 'missing')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(`root not found: ${join(dir, 'missing')}`);
  });

  it('a missing --images folder', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--images', join(dir, 'no-images')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(`cannot serve project images from ${join(dir, 'no-images')}`);
  });

  it('a taken port, named in the message', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(['serve', dir, '--port', String(port)]);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    { args: ['--port', 'seventy'], message: '--port must be an integer from 0 to 65535' },
    { args: ['--signal', 'laser:scope'], message: '--signal must be <sine|noise>:<id>' },
    { args: ['--host', 'nowhere.ts'], message: 'host module not found: nowhere.ts' },
  ])('$args', async ({ args, message }) => {
    const { code, stderr } = await runCli(['serve', dir, ...args]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(message);
  });

  it('a host module that throws on first start: its message', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--host', join(dir, 'throws.ts')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(/host module .*throws\.ts threw: boom at start$/);
  });

  it('a host module without a function', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--host', join(dir, 'no-function.ts')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain('must export a default function (or one named host)');
  });

  it('an unknown command', async () => {
    const { code, stderr } = await runCli(['deploy']);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain('unknown command: deploy');
  });
});
