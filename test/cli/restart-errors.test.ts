import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HostRunner } from '../../src/dev/host-runner.js';
import type { DevLogger } from '../../src/dev/log.js';
import { WebView } from '../../src/host/index.js';
import { startCli } from './cli-process.js';

// A mistake made while the host runs is logged with its place and a code frame, the last good run
// is gone, and fixing the mistake (even in a file the broken version imported first) restarts it.

const RESTART_TIMEOUT_MS = 20_000;
const errors: string[] = [];
const log: DevLogger = { info: () => undefined, warn: () => undefined, error: (line) => errors.push(line) };
let dir: string;
let webView: WebView;
let runner: HostRunner;

const state = (): { version?: string } => ((globalThis as { __restartErrors?: { version?: string } }).__restartErrors ??= {});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-restart-errors-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'host.ts'), "export default function host(): void { (globalThis as any).__restartErrors.version = 'good'; }\n");
  state();
  webView = new WebView();
  runner = new HostRunner(webView, log, dir);
  await runner.runModule(join(dir, 'host.ts'));
});
afterAll(async () => {
  await runner?.close();
  await webView?.close();
  await rm(dir, { recursive: true, force: true });
});

it('logs a syntax error in a newly imported file with its place, then restarts once it is fixed', async () => {
  expect(state().version).toBe('good');
  await writeFile(join(dir, 'gain.ts'), 'export const gain: number = ;\n');
  await writeFile(join(dir, 'host.ts'), "import { gain } from './gain.js';\nexport default function host(): void { (globalThis as any).__restartErrors.version = `fixed ${gain}`; }\n");
  await expect.poll(() => errors.length, { timeout: RESTART_TIMEOUT_MS }).toBeGreaterThan(0);
  const [headline, ...frame] = errors[0]!.split('\n');
  expect(headline).toMatch(/host module .*host\.ts failed to load: .*gain\.ts:1:29: Unexpected ";" \(waiting for the next change\)$/);
  expect(frame.join('\n')).toContain('> 1 | export const gain: number = ;');
  expect(runner.watchedFiles.has(join(dir, 'gain.ts'))).toBe(true);

  await writeFile(join(dir, 'gain.ts'), 'export const gain: number = -6;\n');
  await expect.poll(() => state().version, { timeout: RESTART_TIMEOUT_MS }).toBe('fixed -6');
});

it("a handler of the module that throws at run time (real CLI): the WebView's error with the stack and the throwing line", async () => {
  const handlerDir = await mkdtemp(join(tmpdir(), 'hise-handler-errors-'));
  await writeFile(join(handlerDir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(handlerDir, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(
    join(handlerDir, 'host.ts'),
    "import type { WebView } from 'hise-webview';\nexport default function host(wv: WebView): void {\n  wv.setWebSocketCallback((message) => {\n    throw new Error(`cannot handle ${String(message)}`);\n  });\n}\n",
  );
  let cli: Awaited<ReturnType<typeof startCli>> | undefined;
  try {
    cli = await startCli(['serve', handlerDir, '--host', join(handlerDir, 'host.ts'), '--token', 'none']);
    const socket = new WebSocket(cli.url.replace(/^http/, 'ws'));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send('ping');
    await cli.waitForLine(/CALLBACK_FAILED: a message handler failed: cannot handle ping$/, RESTART_TIMEOUT_MS);
    await cli.waitForLine(/> 4 \|     throw new Error/, RESTART_TIMEOUT_MS);
    const at = cli.output.findIndex((line) => line.includes('CALLBACK_FAILED'));
    expect(cli.output[at + 1]).toMatch(/^ {4}at .*host\.ts:4:11\)?$/);
    expect(cli.output.slice(at + 1).join('\n')).not.toMatch(/node_modules|node:internal/);
    socket.close();
  } finally {
    await cli?.stop();
    await rm(handlerDir, { recursive: true, force: true });
  }
});

it('a throw outside any call (a timer, an unawaited promise) is logged with its line, and the CLI keeps serving', async () => {
  const crashDir = await mkdtemp(join(tmpdir(), 'hise-host-crash-'));
  await writeFile(join(crashDir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(crashDir, 'index.html'), '<!doctype html><title>still here</title>');
  await writeFile(
    join(crashDir, 'host.ts'),
    [
      'export default function host(): void {',
      '  setTimeout(() => {',
      "    throw new TypeError('timer went wrong');",
      '  });',
      "  void Promise.reject(new RangeError('nobody awaited this'));",
      '}',
      '',
    ].join('\n'),
  );
  let cli: Awaited<ReturnType<typeof startCli>> | undefined;
  let exitCode: number | null | undefined;
  try {
    cli = await startCli(['serve', crashDir, '--host', join(crashDir, 'host.ts')]);
    await cli.waitForLine(/host module error: TypeError: timer went wrong \(still serving; save a file to restart the module\)$/, RESTART_TIMEOUT_MS);
    await cli.waitForLine(/host module error: RangeError: nobody awaited this/, RESTART_TIMEOUT_MS);
    await cli.waitForLine(/> 3 \|     throw new TypeError\('timer went wrong'\);/, RESTART_TIMEOUT_MS);
    const page = await fetch(cli.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>still here</title>');
  } finally {
    exitCode = await cli?.stop();
    await rm(crashDir, { recursive: true, force: true });
  }
  expect(exitCode).toBe(0); // Ctrl+C still stops it cleanly
});
