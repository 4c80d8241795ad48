import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, launchChromium } from '../helpers/chromium.js';
import { allCodeBlocks, type CodeBlock } from './doc-blocks.js';
import { installedVersion, packed } from './packed.js';
import { startShell } from './shell-process.js';

// The recipes of the README and of the docs/ guides run as pasted: each code block marked
// `<!-- recipe:NAME -->` is written into a project beside a fresh copy of the repository (packed by its
// own `prepack`, as `npm pack` in a clone does) and run with a shell; the pages they serve are opened in
// Chromium. Every other code block must be marked `<!-- fragment: … -->`. The only change made to a
// command is `--port 0` for Vite (tests use no fixed ports); packages other than hise-webview are
// installed at the versions installed here, from npm's cache.

const SETUP_TIMEOUT_MS = 240_000;
const RECIPE_TIMEOUT_MS = 120_000;
const PAGE_TIMEOUT_MS = 30_000;
/** The README a newcomer reads in five minutes (issue 21). */
const README_MAX_LINES = 250;
const README_FIRST_SCREEN_LINES = 40;
const DOC_MAX_LINE_LENGTH = 200;

let blocks: CodeBlock[];
const recipes = new Map<string, CodeBlock>();
/** The recipes a test has run (read), to check that none is left out. */
const used = new Set<string>();

/** The code block after `<!-- recipe:NAME -->` in the README or a guide. */
function recipe(name: string): string {
  const block = recipes.get(name);
  if (block === undefined) throw new Error(`no recipe ${name} in README.md or docs/*.md`);
  used.add(name);
  return block.body;
}

/** The one command of a shell recipe, without its trailing comment. */
function command(block: string): string {
  const lines = block.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!.replace(/\s+#.*$/, '');
}

/** The command a JavaScript recipe names in its first line (`// file.mjs: node file.mjs`). */
function commentedCommand(block: string): string {
  const match = /^\/\/ [\w.-]+: (.+)$/m.exec(block.split('\n')[0]!);
  expect(match, 'the recipe names its command in its first line').not.toBeNull();
  return match![1]!;
}

/** Runs an `npm i …` recipe as written, other registry packages at the versions installed here. */
async function install(block: string, cwd: string): Promise<void> {
  const words = command(block).split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npm', 'i']);
  const specs = await Promise.all(words.slice(2).map(async (word) => (word.startsWith('-') || word.startsWith('.') ? word : `${word}@${await installedVersion(word)}`)));
  await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, ...specs], cwd);
}

let dir: string;
let clone: string;
let browser: Browser;

beforeAll(async () => {
  blocks = await allCodeBlocks(packed.REPO_ROOT);
  for (const block of blocks) if (block.kind === 'recipe' && !recipes.has(block.name!)) recipes.set(block.name!, block);
});

/** The fresh copy of the repository, built and packed into itself, as `npm ci && npm pack` in a clone leaves it. */
let prepared: Promise<void> | undefined;
function prepare(): Promise<void> {
  prepared ??= (async () => {
    dir = await packed.tempDir('hise-recipes-');
    clone = await packed.freshCopy(join(dir, 'hise-webview'));
    await packed.pack(clone, clone);
    browser = await launchChromium();
  })();
  return prepared;
}

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** A new project beside the clone, as `npm init -y` makes it. */
async function project(name: string, type: 'commonjs' | 'module'): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'package.json'), JSON.stringify({ name: `my-${name}`, version: '1.0.0', type }));
  return path;
}

/** A stand-in `xdg-open` for `--open`, which writes down the URL it was asked to open. */
async function fakeOpener(path: string): Promise<{ env: NodeJS.ProcessEnv; opened: () => Promise<string> }> {
  const opened = join(path, 'opened.txt');
  await mkdir(join(path, 'bin'), { recursive: true });
  await writeFile(join(path, 'bin', 'xdg-open'), `#!/bin/sh\necho "$1" > ${JSON.stringify(opened)}\n`);
  await chmod(join(path, 'bin', 'xdg-open'), 0o755);
  return { env: { PATH: `${join(path, 'bin')}:${process.env.PATH}` }, opened: () => readFile(opened, 'utf8').catch(() => '') };
}

async function openPage(url: string): Promise<BrowserPage> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  return page;
}

/** Waits until the element's text is `text` (the page's own rendering of what it received). */
async function waitForText(page: BrowserPage, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([s, t]) => document.querySelector(s!)?.textContent === t, [selector, text], { timeout: PAGE_TIMEOUT_MS });
}

/** What the CLI guide's page shows once its host module has run: the title, the scope, the bound callback. */
async function expectHostModuleWorking(page: BrowserPage): Promise<void> {
  await waitForText(page, '#title', 'Hello from the host');
  await waitForText(page, '#scope', '512 samples');
  await page.waitForFunction(() => typeof (window as unknown as { getGain?: unknown }).getGain === 'function', undefined, { timeout: PAGE_TIMEOUT_MS });
  expect(await page.evaluate(() => (window as unknown as { getGain(): Promise<number> }).getGain())).toBe(-6);
}

/** A strict tsconfig a TypeScript user would have, checking the recipe files (and every package's declarations; TypeScript's own lib files aside). */
async function typeCheck(path: string, files: string[]): Promise<string> {
  const config = { compilerOptions: { strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true, target: 'ES2022', module: 'esnext', moduleResolution: 'bundler', types: ['node'] }, files };
  await writeFile(join(path, 'tsconfig.json'), JSON.stringify(config));
  try {
    await promisify(execFile)(process.execPath, [join(packed.REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: path });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

const urlIn = (line: string): string => /(http:\/\/\S+)/.exec(line)![1]!;

describe('the README and the guides', () => {
  it('mark every code block as a recipe (run here) or a fragment, each recipe name once', () => {
    const unmarked = blocks.filter((block) => block.kind === 'unmarked').map((block) => `${block.file}:${block.line}`);
    expect(unmarked, 'put <!-- recipe:NAME --> or <!-- fragment: why --> on the line before these blocks').toEqual([]);
    const names = blocks.filter((block) => block.kind === 'recipe').map((block) => block.name!);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    expect(names.length).toBeGreaterThan(15);
  });

  it('README: at most 250 lines, the two commands (the one CI runs) in the first screen, no line over 200 characters', async () => {
    const readme = (await readFile(join(packed.REPO_ROOT, 'README.md'), 'utf8')).split('\n');
    const ci = await readFile(join(packed.REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(readme.length).toBeLessThanOrEqual(README_MAX_LINES);
    const firstScreen = readme.slice(0, README_FIRST_SCREEN_LINES);
    for (const twoCommands of ['npm ci && npm start', 'npm run setup && npm test']) {
      expect(firstScreen.some((line) => line.startsWith(twoCommands))).toBe(true);
    }
    expect(ci).toMatch(/^npm run setup && npm test\b/m);
    expect(readme.filter((line) => line.length > DOC_MAX_LINE_LENGTH)).toEqual([]);
    expect(readme.join('\n')).not.toMatch(/^npm i(nstall)? (-D )?hise-webview\b/m); // not on the registry yet
  });

  it('HiseScript and examples in the guides call HISE’s one spelling, sendToWebSocket', () => {
    const misspelt = blocks.filter((block) => /\bsendToWebsocket\(/.test(block.body)).map((block) => `${block.file}:${block.line}`);
    expect(misspelt).toEqual([]);
  });
});

describe('README: install from the tarball, and the HISE example', () => {
  let path: string;
  let opener: Awaited<ReturnType<typeof fakeOpener>>;

  beforeAll(async () => {
    await prepare();
    path = await project('first', 'commonjs');
    await install(recipe('readme-install'), path);
    await mkdir(join(path, 'webview'));
    await writeFile(join(path, 'webview', 'index.html'), recipe('readme-page'));
    await writeFile(join(path, 'host.mjs'), recipe('readme-host'));
    opener = await fakeOpener(path);
  }, SETUP_TIMEOUT_MS);

  it('the tarball is a file: dependency of the project', async () => {
    const pkg = JSON.parse(await readFile(join(path, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['hise-webview']).toBe('file:../hise-webview/hise-webview-0.1.0.tgz');
  });

  it('serves the page, opens it, and the host module talks to it', async () => {
    const cli = startShell(command(recipe('readme-serve')), path, opener.env);
    try {
      const url = urlIn(await cli.waitForLine(/serving .* at http:\/\//));
      await expect.poll(opener.opened, { timeout: PAGE_TIMEOUT_MS }).toBe(`${url}\n`);
      const page = await openPage(url);
      await waitForText(page, '#title', 'Hello from the host');
      await cli.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);
});

describe('Getting started: a project linked to the clone’s folder', () => {
  let path: string;

  beforeAll(async () => {
    await prepare();
    path = await project('linked', 'commonjs');
    await install(recipe('link-install'), path);
    await mkdir(join(path, 'webview'));
    await writeFile(join(path, 'webview', 'index.html'), recipe('readme-page'));
  }, SETUP_TIMEOUT_MS);

  it('depends on the folder as file:../hise-webview', async () => {
    const pkg = JSON.parse(await readFile(join(path, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pkg.devDependencies['hise-webview']).toBe('file:../hise-webview');
  });

  it('the stand-in host serves the README’s page, calls its initWebSocket and logs its hello', async () => {
    const cli = startShell(command(recipe('first-serve')), path);
    try {
      const page = await openPage(urlIn(await cli.waitForLine(/serving .* at http:\/\//)));
      await cli.waitForLine(/page 1 connected: HISE client/);
      await cli.waitForLine(/page 1 object\(1 keys\) \{"hello":"from the page"\}/);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('a host of your own (own-host.mjs) serves the folder and hears the page', async () => {
    const source = recipe('own-host');
    await writeFile(join(path, 'own-host.mjs'), source);
    const host = startShell(commentedCommand(source), path);
    try {
      const page = await openPage(urlIn(await host.waitForLine(/^open http:\/\//)));
      await host.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await host.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('the host guide’s first example (HISE’s API) runs and exits', async () => {
    const source = recipe('host-basics');
    await writeFile(join(path, 'host-basics.mjs'), source);
    const { stdout } = await promisify(execFile)('sh', ['-c', commentedCommand(source)], { cwd: path });
    expect(stdout).toMatch(/^listening on port \d+$/m);
  }, RECIPE_TIMEOUT_MS);
});

describe('the CLI guide and the guides built on it, in a project of its own (npm init -y)', () => {
  let path: string;
  let opener: Awaited<ReturnType<typeof fakeOpener>>;

  beforeAll(async () => {
    await prepare();
    path = await project('serve', 'commonjs');
    await install(recipe('readme-install'), path);
    await mkdir(join(path, 'webview'));
    await writeFile(join(path, 'webview', 'index.html'), recipe('page'));
    await writeFile(join(path, 'host.ts'), recipe('host'));
    await mkdir(join(path, 'params'));
    await writeFile(join(path, 'params', 'index.html'), recipe('params-page'));
    await writeFile(join(path, 'params-host.ts'), recipe('params-host'));
    opener = await fakeOpener(path);
  }, SETUP_TIMEOUT_MS);

  it('the host modules type-check strict against the installed types', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `@types/node@${await installedVersion('@types/node')}`], path);
    expect(await typeCheck(path, ['host.ts', 'params-host.ts'])).toBe('');
  }, RECIPE_TIMEOUT_MS);

  it('serves the page written from HISE’s documentation, opens it, and the host module talks to it', async () => {
    const cli = startShell(command(recipe('serve')), path, opener.env);
    try {
      const url = urlIn(await cli.waitForLine(/serving .* at http:\/\//));
      await expect.poll(opener.opened, { timeout: PAGE_TIMEOUT_MS }).toBe(`${url}\n`);
      const page = await openPage(url);
      await expectHostModuleWorking(page);
      await cli.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('parameters: a drag on the knob is one gesture the host module logs; the range moves the choice', async () => {
    const cli = startShell(command(recipe('params-serve')), path);
    try {
      const page = await openPage(urlIn(await cli.waitForLine(/serving .* at http:\/\//)));
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

  it('the stand-in host (no --module) calls initWebSocket as HISE does, streams the signals and logs what the page sends', async () => {
    const cli = startShell(command(recipe('stand-in')), path);
    try {
      const page = await openPage(urlIn(await cli.waitForLine(/serving .* at http:\/\//)));
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

  it('--inspect serves the inspector beside the page and prints its URL', async () => {
    const cli = startShell(command(recipe('inspect')), path);
    try {
      const inspector = urlIn(await cli.waitForLine(/inspector at http:\/\//));
      expect(inspector).toMatch(/\/__hise-webview\/inspector\/#token=/);
      const page = await openPage(urlIn(await cli.waitForLine(/serving .* at http:\/\//)));
      await expectHostModuleWorking(page);
      expect((await fetch(inspector)).status).toBe(200);
      await page.context().close();
    } finally {
      await cli.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('records a session with the host module, and replays it with no host: the page works the same', async () => {
    const recording = startShell(command(recipe('record')), path);
    try {
      const page = await openPage(urlIn(await recording.waitForLine(/serving .* at http:\/\//)));
      await expectHostModuleWorking(page); // getGain() is called, and its result recorded
      await recording.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await recording.stop();
    }
    await recording.waitForLine(/recorded \d+ records \(\d+ bytes\) to .*session\.hwvrec/);

    const replaying = startShell(command(recipe('replay')), path);
    try {
      await replaying.waitForLine(/replaying \d+ messages, looping; answering bound getGain/);
      const page = await openPage(urlIn(await replaying.waitForLine(/serving .* at http:\/\//)));
      await expectHostModuleWorking(page); // the retained title, the scope, getGain() → -6: all from the recording
      await replaying.waitForLine(/page 1 object\(1 keys\) \{"hello":"from the page"\}/);
      await page.context().close();
    } finally {
      await replaying.stop();
    }
  }, RECIPE_TIMEOUT_MS);

  it('the UI test recipe passes with node --test', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `playwright-core@${await installedVersion('playwright-core')}`], path);
    const source = recipe('ui-test');
    await writeFile(join(path, 'ui.test.mjs'), source);
    const test = startShell(commentedCommand(source), path, { CHROMIUM_PATH });
    expect(await test.waitForLine(/^# fail \d+$/, RECIPE_TIMEOUT_MS), test.output.join('\n')).toBe('# fail 0');
    expect(test.output).toContain('# pass 1');
    await test.stop();
  }, RECIPE_TIMEOUT_MS);
});

describe('the Vite guide, in a project of its own', () => {
  let path: string;

  beforeAll(async () => {
    await prepare();
    path = await project('vite', 'module');
    await install(recipe('vite-install'), path);
    await writeFile(join(path, 'vite.config.ts'), recipe('vite-config'));
    await writeFile(join(path, 'host.ts'), recipe('host'));
    // The same page as the CLI's, unchanged: the plugin serves hisewebsocket-min.js as the host does.
    await writeFile(join(path, 'index.html'), recipe('page'));
  }, SETUP_TIMEOUT_MS);

  it('vite.config.ts and the host module type-check strict', async () => {
    await packed.npm(['i', ...packed.NPM_QUIET_FLAGS, '-D', `@types/node@${await installedVersion('@types/node')}`], path);
    expect(await typeCheck(path, ['vite.config.ts', 'host.ts'])).toBe('');
  }, RECIPE_TIMEOUT_MS);

  it('npx vite serves the page with the bridge, and the host module beside it talks to it', async () => {
    const vite = startShell(`${command(recipe('vite'))} --port 0`, path);
    try {
      const page = await openPage(urlIn(await vite.waitForLine(/Local:\s+http:\/\//)));
      await expectHostModuleWorking(page);
      await vite.waitForLine(/page says \{ hello: 'from the page' \}/);
      await page.context().close();
    } finally {
      await vite.stop();
    }
  }, RECIPE_TIMEOUT_MS);
});

describe('npm run example, on a fresh clone', () => {
  beforeAll(prepare, SETUP_TIMEOUT_MS);

  // A whole build first (prepack left no build state): minutes on a loaded machine.
  it('builds first (preexample) and serves the basic example', async () => {
    const example = startShell('npm run example', clone);
    try {
      const page = await openPage(urlIn(await example.waitForLine(/open http:\/\/\S+ in a browser/, SETUP_TIMEOUT_MS)));
      await page.waitForFunction(() => document.body.textContent!.length > 0, undefined, { timeout: PAGE_TIMEOUT_MS });
      expect(await example.waitForLine(/page \d+ connected/)).toMatch(/page \d+ connected/);
      await page.context().close();
    } finally {
      await example.stop();
    }
  }, SETUP_TIMEOUT_MS + PAGE_TIMEOUT_MS);
});

describe('every recipe', () => {
  it('was run by a test above', () => {
    expect([...recipes.keys()].filter((name) => !used.has(name)).sort()).toEqual([]);
  });
});
