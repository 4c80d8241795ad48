import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../helpers/chromium.js';
import { CLI, npm, packRepository, run } from './project.js';

// The React, Svelte and Vue templates end to end (issue 25), as a user gets them: `init --template`
// from the packed tarball, one `npm install` for the three (an npm workspace, so the shared
// packages install once, from npm's cache where it has them; hise-webview from the tarball, never
// the registry), then each project's own `npm test`: Vite builds its page, and its test drives it
// in Chromium against a test host running its host module (one gesture per drag and per key run, a
// host change re-renders, the meter's 60 frames a second change nothing else, axe finds nothing,
// the accessibility tree reads the knob and the slider, the bound call).

const TEMPLATES = ['react', 'svelte', 'vue'] as const;
const STEP_TIMEOUT_MS = 240_000;

let work: string;
let tarball: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hise-templates-'));
  tarball = await packRepository();
}, STEP_TIMEOUT_MS);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  if (tarball !== undefined) await rm(join(tarball, '..'), { recursive: true, force: true });
});

describe('the React, Svelte and Vue templates', () => {
  it('are made by init from the packed tarball and install in one go, hise-webview from the tarball', async () => {
    await writeFile(join(work, 'package.json'), JSON.stringify({ name: 'apps', private: true, workspaces: TEMPLATES.map((t) => `${t}-app`) }));
    for (const template of TEMPLATES) {
      const made = await run(process.execPath, [CLI, 'init', `${template}-app`, '--template', template, '--yes'], work);
      expect(made.code, made.stderr).toBe(0);
      const manifest = JSON.parse(await readFile(join(work, `${template}-app`, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      manifest.dependencies['hise-webview'] = `file:${tarball}`; // as init run from the installed tarball writes it (test/init/init-e2e.test.ts)
      await writeFile(join(work, `${template}-app`, 'package.json'), JSON.stringify(manifest, null, 2));
    }
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], work);
    const lock = JSON.parse(await readFile(join(work, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages['node_modules/hise-webview']?.resolved).toMatch(/^file:.*\.tgz$/);
  }, STEP_TIMEOUT_MS);

  it.concurrent.each(TEMPLATES)("%s: its own test builds the page with Vite and passes in Chromium", async (template) => {
    const tested = await run('npm', ['test'], join(work, `${template}-app`), undefined, { CHROMIUM_PATH });
    expect(tested.code, `${tested.stdout}\n${tested.stderr}`).toBe(0);
    expect(tested.stdout).toMatch(/# pass 5/);
    expect(tested.stdout).toMatch(/# fail 0/);
  }, STEP_TIMEOUT_MS);
});
