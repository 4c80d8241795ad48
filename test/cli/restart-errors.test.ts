import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HostRunner } from '../../src/dev/host-runner.js';
import type { DevLogger } from '../../src/dev/log.js';
import { WebView } from '../../src/host/index.js';

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
