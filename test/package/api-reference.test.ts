import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packed } from './packed.js';

// docs/reference/ is generated from the exported types (`npm run docs:api`) and committed, so it is read
// where the code is. This regenerates it into a temporary folder and compares the two byte for byte:
// a changed doc comment or signature without a regenerated reference fails here.

const GENERATE_TIMEOUT_MS = 120_000;
const COMMITTED = join(packed.REPO_ROOT, 'docs', 'reference');

interface ApiReference {
  ENTRY_POINTS: string[];
  generate(outDir: string): Promise<void>;
}

/** Every file under `dir`, by its path relative to `dir` (sorted). */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

let fresh: string | undefined;

afterAll(async () => {
  if (fresh !== undefined) await rm(fresh, { recursive: true, force: true });
});

describe('docs/reference (the API reference)', () => {
  it('is what `npm run docs:api` generates from the current sources', async () => {
    const { generate } = (await import(new URL('../../scripts/api-reference.mjs', import.meta.url).href)) as ApiReference;
    fresh = await packed.tempDir('hise-api-reference-');
    await generate(fresh);
    const stale = 'docs/reference/ is stale: run `npm run docs:api` and commit the result';
    const expected = await files(fresh);
    expect(await files(COMMITTED), stale).toEqual(expected);
    const differing: string[] = [];
    for (const file of expected) {
      const [now, committed] = await Promise.all([readFile(join(fresh, file), 'utf8'), readFile(join(COMMITTED, file), 'utf8')]);
      if (now !== committed) differing.push(file);
    }
    expect(differing, stale).toEqual([]);
  }, GENERATE_TIMEOUT_MS);

  it('covers every entry point package.json exports', async () => {
    const { ENTRY_POINTS } = (await import(new URL('../../scripts/api-reference.mjs', import.meta.url).href)) as ApiReference;
    const pkg = JSON.parse(await readFile(join(packed.REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    const typed = Object.entries(pkg.exports).filter(([, target]) => typeof target === 'object').map(([name]) => name);
    const layers = typed.map((name) => (name === '.' ? 'host' : name.slice(2)));
    expect(ENTRY_POINTS.map((entry) => /^src\/([\w/]+)\/index\.ts$/.exec(entry)![1]).sort()).toEqual(layers.sort());
    const index = await readFile(join(COMMITTED, 'README.md'), 'utf8');
    for (const name of typed) expect(index).toContain(`[${name === '.' ? 'hise-webview' : `hise-webview/${name.slice(2)}`}]`);
  });
});
