import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostRunner } from '../../src/dev/host-runner.js';
import type { DevLogger } from '../../src/dev/log.js';
import { WebView } from '../../src/host/index.js';

// Host modules in ESM and CommonJS projects (`npm init -y` writes "type": "commonjs") behave the
// same: the files they import are watched, and after a restart the new versions run.

const RESTART_TIMEOUT_MS = 20_000;

interface Project {
  name: string;
  /** Where the host module records what it imported, on globalThis.__moduleProjects. */
  key: string;
  packageType: 'module' | 'commonjs';
  files: Record<string, string>;
  host: string;
  dep: string;
  depSource: (value: string) => string;
}

const record = (): Record<string, string> => ((globalThis as { __moduleProjects?: Record<string, string> }).__moduleProjects ??= {});

const PROJECTS: Project[] = [
  {
    name: 'ESM, TypeScript',
    key: 'esmTs',
    packageType: 'module',
    host: 'host.ts',
    dep: 'dep.ts',
    depSource: (value) => `export const value: string = '${value}';\n`,
    files: { 'host.ts': `import { value } from './dep.js';\nexport default function host(): void { (globalThis as any).__moduleProjects.esmTs = value; }\n` },
  },
  {
    name: 'CommonJS, TypeScript (extensionless import)',
    key: 'cjsTs',
    packageType: 'commonjs',
    host: 'host.ts',
    dep: 'lib/dep.ts',
    depSource: (value) => `export const value: string = '${value}';\n`,
    files: { 'host.ts': `import { value } from './lib/dep';\nexport default function host(): void { (globalThis as any).__moduleProjects.cjsTs = value; }\n` },
  },
  {
    name: 'CommonJS, JavaScript with require',
    key: 'cjsJs',
    packageType: 'commonjs',
    host: 'host.js',
    dep: 'dep.js',
    depSource: (value) => `exports.value = '${value}';\n`,
    files: { 'host.js': `const { value } = require('./dep.js');\nmodule.exports = function host() { globalThis.__moduleProjects.cjsJs = value; };\n` },
  },
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const silent: DevLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each(PROJECTS)('a host module in a project: $name', (project) => {
  it('watches the files it imports, and runs their new version after a restart (twice)', async () => {
    const dir = await mkdtemp(join(tmpdir(), `hise-${project.packageType}-project-`));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', type: project.packageType }));
    await mkdir(join(dir, 'lib'));
    for (const [file, source] of Object.entries(project.files)) await writeFile(join(dir, file), source);
    await writeFile(join(dir, project.dep), project.depSource('first'));
    record();

    const webView = new WebView();
    const runner = new HostRunner(webView, silent, dir);
    cleanups.push(async () => {
      await runner.close();
      await webView.close();
    });
    await runner.runModule(join(dir, project.host));
    const key = project.key;
    expect(record()[key]).toBe('first');
    expect([...runner.watchedFiles].sort()).toEqual([join(dir, project.dep), join(dir, project.host)].sort());

    for (const value of ['second', 'third']) {
      await writeFile(join(dir, project.dep), project.depSource(value));
      await expect.poll(() => record()[key], { timeout: RESTART_TIMEOUT_MS }).toBe(value);
    }
  });
});
