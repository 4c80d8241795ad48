import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installSource } from '../../src/cli/install-source.js';

// Where a project made by `init` installs hise-webview from: where `init` itself came from.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-install-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function installedIn(project: string, resolved: string | undefined, lockName = 'package-lock.json'): Promise<string> {
  const root = join(project, 'node_modules', 'hise-webview');
  await mkdir(root, { recursive: true });
  const entry = resolved === undefined ? {} : { resolved };
  const lockFile = lockName === 'package-lock.json' ? join(project, lockName) : join(project, 'node_modules', lockName);
  await writeFile(lockFile, JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/hise-webview': { version: '0.1.0', ...entry } } }));
  return root;
}

describe('installSource', () => {
  it('a clone: file: the clone', async () => {
    const clone = join(dir, 'clone');
    expect(await installSource('0.1.0', clone)).toEqual({ spec: `file:${clone}`, from: `the clone at ${clone}` });
  });

  it('installed from a tarball (as npm or npx records it): file: the tarball, resolved against the project', async () => {
    const root = await installedIn(join(dir, 'tools'), 'file:../packs/hise-webview-0.1.0.tgz');
    expect(await installSource('0.1.0', root)).toEqual({ spec: `file:${join(dir, 'packs/hise-webview-0.1.0.tgz')}`, from: join(dir, 'packs/hise-webview-0.1.0.tgz') });
  });

  it('the hidden lock file in node_modules counts too', async () => {
    const root = await installedIn(join(dir, 'hidden'), 'file:/abs/hise-webview-0.1.0.tgz', '.package-lock.json');
    expect((await installSource('0.1.0', root)).spec).toBe('file:/abs/hise-webview-0.1.0.tgz');
  });

  it('from the registry, or unknown: the version range', async () => {
    const registry = await installedIn(join(dir, 'registry'), 'https://registry.npmjs.org/hise-webview/-/hise-webview-0.1.0.tgz');
    expect(await installSource('0.1.0', registry)).toEqual({ spec: '^0.1.0', from: 'the npm registry' });
    const unknown = await installedIn(join(dir, 'unknown'), undefined);
    expect((await installSource('0.1.0', unknown)).spec).toBe('^0.1.0');
  });
});
