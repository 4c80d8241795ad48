import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, launchChromium } from '../helpers/chromium.js';
import { installedVersion, packed } from './packed.js';
import { startShell } from './shell-process.js';

// The README's recipes run as pasted: its code blocks (each marked `<!-- recipe:NAME -->`) are
// read from README.md, written into fresh projects that installed the packed tarball, and run with
// a shell; the pages they serve are opened in Chromium. The only change made to a command is the
// tarball's path for `hise-webview` in `npm i`, and `--port 0` for Vite (tests use no fixed ports).

const SETUP_TIMEOUT_MS = 240_000;
const RECIPE_TIMEOUT_MS = 120_000;
const PAGE_TIMEOUT_MS = 30_000;

/** The code block after `<!-- recipe:NAME -->` in README.md. */
function recipe(readme: string, name: string): string {
  const match = new RegExp(`<!-- recipe:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match === null) throw new Error(`README.md has no recipe ${name}`);
  return match[1]!;
}

/** The one command of a shell recipe, without its trailing comment. */
function command(block: string): string {
  const lines = block.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!.replace(/\s+#.*$/, '');
}

/** Runs an `npm i …` recipe with the tarball in place of `hise-webview`, from npm's cache first. */
async function install(block: string, cwd: string, tarball: string): Promise<void> {
  const words = command(block).split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npm', 'i']);
  // Other packages at the versions installed here, which npm's cache holds.
  const specs = await Promise.all(words.slice(2).map(async (word) => (word === 'hise-webview' ? tarball : word.startsWith('-') ? word : `${word}@${await installedVersion(word)}`)));
  await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, ...specs], cwd);
}

let readme: string;
let dir: string;
let tarball: string;
let browser: Browser;

beforeAll(async () => {
  readme = await readFile(join(packed.REPO_ROOT, 'README.md'), 'utf8');
  dir = await packed.tempDir('hise-recipes-');
  ({ tarball } = await packed.packFreshCopy(dir));
  browser = await launchChromium();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function openPage(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

/** Waits until the element's text is `text` (the page's own rendering of what it received). */
async function waitForText(page: BrowserPage, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent === t, [selector, text], { timeout: PAGE_TIMEOUT_MS });
}

/** What the README's page shows once the README's host module has run: the title, the scope, the bound callback. */
async function expectHostModuleWorking(page: BrowserPage): Promise<void> {
  await waitForText(page, '#title', 'Hello from the host');
  await waitForText(page, '#scope', '512 samples');
  await page.waitForFunction(() => typeof (window as unknown as { getGain?: unknown }).getGain === 'function', undefined, { timeout: PAGE_TIMEOUT_MS });
  expect(await page.evaluate(() => (window as unknown as { getGain(): Promise<number> }).getGain())).toBe(-6);
}

/** A strict tsconfig a TypeScript user would have, checking the recipe files (and every package's declarations; TypeScript's own lib files aside). */
async function typeCheck(project: string, files: string[]): Promise<string> {
  const config = { compilerOptions: { strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true, target: 'ES2022', module: 'esnext', moduleResolution: 'bundler', types: ['node'] }, files };
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(config));
  try {
    await promisify(execFile)(process.execPath, [join(packed.REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

describe('hise-webview serve, in a project of its own (npm init -y)', () => {
  let project: string;
  let opened: string;

  beforeAll(async () => {
    project = join(dir, 'serve');
    await mkdir(join(project, 'webview'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'my-webview', version: '1.0.0', type: 'commonjs' }));
    await install(recipe(readme, 'serve-install'), project, tarball);
    await writeFile(join(project, 'webview', 'index.html'), recipe(readme, 'page'));
    await writeFile(join(project, 'host.ts'), recipe(readme, 'host'));
    await mkdir(join(project, 'params'));
    await writeFile(join(project, 'params', 'index.html'), recipe(readme, 'params-page'));
    await writeFile(join(project, 'params-host.ts'), recipe(readme, 'params-host'));
    // `--open` runs xdg-open: this one writes down the URL it was asked to open.
    opened = join(dir, 'opened.txt');
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'xdg-open'), `#!/bin/sh\necho "$1" > ${JSON.stringify(opened)}\n`);
    await chmod(join(dir, 'bin', 'xdg-open'), 0o755);
  }, SETUP_TIMEOUT_MS);

  it('the host module type-checks strict against the installed types', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `@types/node@${await installedVersion('@types/node')}`], project);
    expect(await typeCheck(project, ['host.ts', 'params-host.ts'])).toBe('');
  }, RECIPE_TIMEOUT_MS);

  it('serves the page written from HISE’s documentation, opens it, and the host module talks to it', async () => {
    const cli = startShell(command(recipe(readme, 'serve')), project, { PATH: `${join(dir, 'bin')}:${process.env.PATH}` });
    try {
      const line = await cli.waitForLine(/serving .* at http:\/\//);
      const url = /at (http:\/\/\S+)/.exec(line)![1]!;
      await expect.poll(() => readFile(opened, 'utf8').catch(() => ''), { timeout: PAGE_TIMEOUT_MS }).toBe(`${url}\n`);
      const page = await openPage(url);
      await expectHostModuleWorking(page);
      await cli.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('the parameters recipe: a drag on the knob is one gesture the host module logs; the range moves the choice', async () => {
    const cli = startShell(command(recipe(readme, 'params-serve')), project);
    try {
      const line = await cli.waitForLine(/serving .* at http:\/\//);
      const page = await openPage(/at (http:\/\/\S+)/.exec(line)![1]!);
      await waitForText(page, '#gain-text', '0.0 dB');
      const box = (await page.locator('#knob').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 100, { steps: 5 });
      await page.mouse.up();
      await waitForText(page, '#gain-text', '-36.0 dB');
      await cli.waitForLine(/gain -36 from the page \(dragging\)/);
      await cli.waitForLine(/one undo step: gain 0 -> -36 \(end\)/);
      await page.focus('#mode');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => (document.getElementById('mode') as HTMLInputElement).value === '0.5', undefined, { timeout: PAGE_TIMEOUT_MS });
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('the inspector (no --host) calls initWebSocket as HISE does, streams the signals and logs what the page sends', async () => {
    const cli = startShell(command(recipe(readme, 'inspector')), project);
    try {
      const line = await cli.waitForLine(/serving .* at http:\/\//);
      const page = await openPage(/at (http:\/\/\S+)/.exec(line)![1]!);
      await waitForText(page, '#scope', '512 samples');
      // One tab, one page: its bridge connects first, the HiseWebSocketServer initWebSocket opened joins it.
      await cli.waitForLine(/page 1 connected: bridge \(http:/);
      await cli.waitForLine(/page 1 connected: HISE client \(http:/);
      await cli.waitForLine(/page 1 object\(1 keys\) \{"hello":"from the page"\}/);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  // Record → replay → test (README): the same project, its host module and page.
  it('records a session with the host module, and replays it with no host: the page works the same', async () => {
    const recording = startShell(command(recipe(readme, 'record')), project);
    try {
      const line = await recording.waitForLine(/serving .* at http:\/\//);
      const page = await openPage(/at (http:\/\/\S+)/.exec(line)![1]!);
      await expectHostModuleWorking(page); // getGain() is called, and its result recorded
      await recording.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await recording.stop();
    }
    await recording.waitForLine(/recorded \d+ records \(\d+ bytes\) to .*session\.hwvrec/);

    const replaying = startShell(command(recipe(readme, 'replay')), project);
    try {
      await replaying.waitForLine(/replaying \d+ messages, looping; answering bound getGain/);
      const line = await replaying.waitForLine(/serving .* at http:\/\//);
      const page = await openPage(/at (http:\/\/\S+)/.exec(line)![1]!);
      await expectHostModuleWorking(page); // the retained title, the scope, getGain() → -6: all from the recording
      await replaying.waitForLine(/page 1 object\(1 keys\) \{"hello":"from the page"\}/);
      await page.context().close();
    } finally {
      await replaying.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('the UI test recipe passes with node --test', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `playwright-core@${await installedVersion('playwright-core')}`], project);
    await writeFile(join(project, 'ui.test.mjs'), recipe(readme, 'ui-test'));
    const test = startShell(command('node --test ui.test.mjs'), project, { CHROMIUM_PATH });
    expect(await test.waitForLine(/^# fail \d+$/, RECIPE_TIMEOUT_MS), test.output.join('\n')).toBe('# fail 0');
    expect(test.output).toContain('# pass 1');
    await test.stop();
  }, RECIPE_TIMEOUT_MS);
});

describe('the Vite recipe, in a project of its own', () => {
  let project: string;

  beforeAll(async () => {
    project = join(dir, 'vite');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'my-vite-webview', version: '1.0.0', type: 'module' }));
    await install(recipe(readme, 'vite-install'), project, tarball);
    await writeFile(join(project, 'vite.config.ts'), recipe(readme, 'vite-config'));
    await writeFile(join(project, 'host.ts'), recipe(readme, 'host'));
    // The same page as the CLI's, unchanged: the plugin serves hisewebsocket-min.js as the host does.
    await writeFile(join(project, 'index.html'), recipe(readme, 'page'));
  }, SETUP_TIMEOUT_MS);

  it('vite.config.ts and the host module type-check strict', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `@types/node@${await installedVersion('@types/node')}`], project);
    expect(await typeCheck(project, ['vite.config.ts', 'host.ts'])).toBe('');
  }, RECIPE_TIMEOUT_MS);

  it('npx vite serves the page with the bridge, and the host module beside it talks to it', async () => {
    const vite = startShell(`${command(recipe(readme, 'vite'))} --port 0`, project);
    try {
      const line = await vite.waitForLine(/Local:\s+http:\/\//);
      const page = await openPage(/(http:\/\/\S+)/.exec(line)![1]!);
      await expectHostModuleWorking(page);
      await vite.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await vite.stop();
    }
  }, RECIPE_TIMEOUT_MS);
});

describe('npm run example, on a fresh clone', () => {
  it('builds first (preexample) and serves the basic example', async () => {
    const clone = await packed.freshCopy(join(dir, 'clone'));
    const example = startShell('npm run example', clone);
    try {
      const line = await example.waitForLine(/open http:\/\/\S+ in a browser/, RECIPE_TIMEOUT_MS);
      const page = await openPage(/open (http:\/\/\S+)/.exec(line)![1]!);
      await page.waitForFunction(() => document.body.textContent!.length > 0, undefined, { timeout: PAGE_TIMEOUT_MS });
      expect(await example.waitForLine(/page \d+ connected/)).toMatch(/page \d+ connected/);
      await page.context().close();
    } finally {
      await example.stop();
    }
  }, RECIPE_TIMEOUT_MS);
});
