import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { CLI, installTarball, npm, packRepository, run, start, type Running } from './project.js';

// `hise-webview init` end to end, as a new user: scaffold into a temp folder, install hise-webview
// from the packed tarball, run the project's serve command (the page loads in Chromium, streams
// from the host, and the host receives the page's call), its own test, and its type-check. And a
// project without tsx gets a one-line answer naming the fix.

const STEP_TIMEOUT_MS = 120_000;
const SERVE_TIMEOUT_MS = 30_000;

let work: string;
let tarball: string;
/** The project `init` made, with its dependencies (tsx among them) installed. */
let app: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hise-init-e2e-'));
  tarball = await packRepository();
}, STEP_TIMEOUT_MS);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  if (tarball !== undefined) await rm(join(tarball, '..'), { recursive: true, force: true });
});

describe('a project made by `hise-webview init`', () => {
  let browser: Browser | undefined;
  let serve: Running | undefined;
  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
  });

  it('is scaffolded without questions by a hise-webview installed from the tarball, and its printed next steps install it from there', async () => {
    // A user who installed the tarball (the package is not on the registry) runs its init.
    const tools = join(work, 'tools');
    await mkdir(tools);
    await writeFile(join(tools, 'package.json'), JSON.stringify({ name: 'tools', version: '1.0.0', private: true }));
    await installTarball(tarball, tools);
    const scaffolded = await run(join(tools, 'node_modules/.bin/hise-webview'), ['init', 'my-webview'], work);
    expect(scaffolded.code, scaffolded.stderr).toBe(0);
    app = join(work, 'my-webview');
    expect(scaffolded.stdout).toContain('created 11 files in my-webview');
    expect(scaffolded.stdout).toContain(`hise-webview is installed from ${tarball}`);
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(manifest.name).toBe('my-webview');
    expect(manifest.dependencies['hise-webview']).toBe(`file:${tarball}`);
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(['serve', 'test', 'dev']));

    // The printed next steps, run as printed: cd, then npm install (hise-webview from the tarball,
    // the other packages from npm's cache where it has them).
    const steps = scaffolded.stdout.split('\nNext:\n')[1]!.split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(steps).toEqual(['cd my-webview', 'npm install', 'npm run serve', 'npm test', 'npm run dev']);
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], join(work, steps[0]!.slice('cd '.length)));
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages['node_modules/hise-webview']?.resolved).toMatch(/^file:.*\.tgz$/); // not the registry's
  }, STEP_TIMEOUT_MS);

  /** Opens `url`, waits for levels from the host, moves the gain slider, and waits for the host to log it. */
  async function exercisePage(url: string, server: Running): Promise<void> {
    browser ??= await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(url);
    // Levels arrive over HiseWebSocketServer, opened by initWebSocket(port) the host called.
    await page.waitForFunction(() => Number(document.body.dataset.levels ?? 0) > 2, undefined, { timeout: SERVE_TIMEOUT_MS });
    // The slider calls the bound callback window.setGain; the host logs it and answers with a status.
    await page.evaluate(() => {
      const slider = document.getElementById('gain') as HTMLInputElement;
      slider.value = '-6';
      slider.dispatchEvent(new Event('input'));
    });
    await server.waitForLine(/gain -6 dB/, SERVE_TIMEOUT_MS);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'gain -6 dB', undefined, { timeout: SERVE_TIMEOUT_MS });
    expect(await page.textContent('#gain-value')).toBe('-6 dB');
    expect(problems).toEqual([]);
    await page.close();
  }

  it('`npm run serve`: the HISE-way page streams from the host, and the host receives its call', async () => {
    serve = start('npm', ['run', 'serve'], app);
    const line = await serve.waitForLine(/serving .* at http:\/\//, SERVE_TIMEOUT_MS);
    await exercisePage(/at (http:\/\/\S+)/.exec(line)![1]!, serve);
    await serve.stop();
  }, STEP_TIMEOUT_MS);

  it('`npm run dev`: the same page through Vite and the plugin', async () => {
    serve = start('npm', ['run', 'dev', '--', '--port', '0', '--host', '127.0.0.1', '--strictPort'], app);
    const line = await serve.waitForLine(/Local:\s+http:\/\//, SERVE_TIMEOUT_MS);
    await serve.waitForLine(/\[hise-webview\] host on http:\/\//, SERVE_TIMEOUT_MS);
    await exercisePage(/(http:\/\/\S+)/.exec(line)![1]!, serve);
    await serve.stop();
  }, STEP_TIMEOUT_MS);

  it('passes its own test and type-check', async () => {
    const [tested] = await Promise.all([npm(['test'], app), npm(['run', 'typecheck'], app)]);
    expect(tested.stdout).toMatch(/# pass 2/);
    expect(tested.stdout).toMatch(/# fail 0/);
  }, STEP_TIMEOUT_MS);
});

describe('a project without tsx', () => {
  it('`serve --module host.ts` says in one line what to install, or to write the module as .mjs', async () => {
    const project = join(work, 'no-tsx');
    await run(process.execPath, [CLI, 'init', project, '--name', 'no-tsx'], work); // a folder to work in
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'no-tsx', version: '1.0.0', type: 'commonjs' }));
    await installTarball(tarball, project);
    const served = await run(join(project, 'node_modules/.bin/hise-webview'), ['serve', 'webview', '--module', 'host/host.ts'], project);
    expect(served.code).toBe(1);
    expect(served.stderr.trimEnd().split('\n')).toEqual([
      'hise-webview: host.ts is TypeScript, which host modules load with tsx (not installed): npm install --save-dev tsx, or write the module as .mjs or .js, which Node runs itself',
    ]);
  }, STEP_TIMEOUT_MS);

  it('an .mjs host module serves without tsx: Node imports it itself', async () => {
    const project = join(work, 'no-tsx');
    await expect(readFile(join(project, 'node_modules/tsx/package.json'))).rejects.toThrow(); // really without tsx
    await writeFile(
      join(project, 'host/host.mjs'),
      "export default function host(wv) {\n  console.log('mjs host running');\n  wv.bindCallback('setGain', ([db]) => db);\n}\n",
    );
    const served = start(join(project, 'node_modules/.bin/hise-webview'), ['serve', 'webview', '--module', 'host/host.mjs'], project);
    try {
      await served.waitForLine(/mjs host running/, SERVE_TIMEOUT_MS);
      expect(await served.waitForLine(/serving .* at http:\/\//, SERVE_TIMEOUT_MS)).toContain('webview');
      expect(await served.waitForLine(/host host\/host\.mjs/, SERVE_TIMEOUT_MS)).toBeTruthy();
    } finally {
      await served.stop();
    }
  }, STEP_TIMEOUT_MS);

  it("a hise-webview that cannot see tsx finds the project's (as when run through npx)", async () => {
    const elsewhere = start(join(work, 'no-tsx', 'node_modules/.bin/hise-webview'), ['serve', 'webview', '--module', 'host/host.ts'], app);
    try {
      expect(await elsewhere.waitForLine(/serving .* at http:\/\//, SERVE_TIMEOUT_MS)).toMatch(/serving .* at http:\/\/(127\.0\.0\.1|localhost)/);
    } finally {
      await elsewhere.stop();
    }
  }, STEP_TIMEOUT_MS);
});
