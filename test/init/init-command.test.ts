import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, run, type Finished } from './project.js';

// `hise-webview init` as create-vite behaves: flags for everything, prompts only in a terminal,
// a non-empty folder refused (TARGET_NOT_EMPTY) unless --force, and no file ever overwritten.

const TEMPLATE_FILES = [
  '.gitignore',
  'README.md',
  'host/host.ts',
  'package.json',
  'shared/contract.ts',
  'test/host.test.ts',
  'tsconfig.json',
  'vite.config.ts',
  'webview/globals.d.ts',
  'webview/index.html',
  'webview/main.js',
];
/** util-linux `script` gives the CLI a pseudo-terminal, so it prompts as it does for a person. */
const SCRIPT = '/usr/bin/script';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hise-init-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string> = {}): Promise<string> {
  const path = join(work, name);
  await mkdir(path, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(path, file), content);
  return path;
}

async function filesIn(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(path.length + 1)).sort();
}

function init(args: string[], cwd = work): Promise<Finished> {
  return run(process.execPath, [CLI, 'init', ...args], cwd);
}

/** Runs `init` in a pseudo-terminal, typing `answers` (one per line). */
function initInTerminal(args: string[], answers: string[], cwd: string): Promise<Finished> {
  const command = [process.execPath, CLI, 'init', ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  return run(SCRIPT, ['-qec', command, '/dev/null'], cwd, answers.map((answer) => `${answer}\n`).join(''));
}

describe.concurrent('hise-webview init without a terminal', () => {
  it('writes the template into a new folder, named after it', async () => {
    const { code, stdout } = await init(['fresh-app']);
    expect(code).toBe(0);
    expect(await filesIn(join(work, 'fresh-app'))).toEqual(TEMPLATE_FILES);
    expect(JSON.parse(await readFile(join(work, 'fresh-app', 'package.json'), 'utf8'))).toMatchObject({ name: 'fresh-app', private: true });
    expect(await readFile(join(work, 'fresh-app', 'webview/index.html'), 'utf8')).toContain('<title>fresh-app</title>');
    expect(stdout).toContain('npm run serve');
  });

  it('no folder given: hise-webview-app in the working directory', async () => {
    const cwd = await folder('default-cwd');
    const { code } = await init([], cwd);
    expect(code).toBe(0);
    expect(await filesIn(join(cwd, 'hise-webview-app'))).toEqual(TEMPLATE_FILES);
  });

  it('--name sets the package name; an invalid one is refused', async () => {
    expect((await init(['named', '--name', '@studio/synth-ui'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(work, 'named', 'package.json'), 'utf8')).name).toBe('@studio/synth-ui');
    expect((await init(['numeric', '--name', '808'])).code).toBe(0); // cac reads it as a number
    expect(JSON.parse(await readFile(join(work, 'numeric', 'package.json'), 'utf8')).name).toBe('808');
    const bad = await init(['bad-name', '--name', 'Synth UI']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hise-webview: --name must be a valid npm package name/);
    expect(existsSync(join(work, 'bad-name'))).toBe(false);
  });

  it('a folder name that is no package name becomes one', async () => {
    expect((await init(['My Synth UI'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(work, 'My Synth UI', 'package.json'), 'utf8')).name).toBe('my-synth-ui');
  });

  it('refuses a folder that is not empty, writing nothing', async () => {
    const path = await folder('taken', { 'notes.txt': 'mine' });
    const { code, stderr } = await init([path]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      `hise-webview: ${path} is not empty: choose another folder, or pass --force to add the files it lacks (existing files are never overwritten)`,
    ]);
    expect(await filesIn(path)).toEqual(['notes.txt']);
  });

  it('--force adds what is missing and never overwrites', async () => {
    const path = await folder('forced', { 'README.md': '# my own readme\n', 'package.json': '{"name":"mine"}\n' });
    const { code, stdout } = await init([path, '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain('kept 2 existing (not overwritten): README.md, package.json');
    expect(await readFile(join(path, 'README.md'), 'utf8')).toBe('# my own readme\n');
    expect(await readFile(join(path, 'package.json'), 'utf8')).toBe('{"name":"mine"}\n');
    expect(await filesIn(path)).toEqual(TEMPLATE_FILES);
  });

  it('a folder holding only .git counts as empty', async () => {
    const path = await folder('git-only');
    await mkdir(join(path, '.git'));
    expect((await init([path])).code).toBe(0);
  });

  it('O2 --template picks the template, and an unknown one is refused naming the four, writing nothing', async () => {
    const { code, stdout } = await init([join(work, 'vue-app'), '--template', 'vue']);
    expect(code, stdout).toBe(0);
    expect(await filesIn(join(work, 'vue-app'))).toEqual(expect.arrayContaining(['host/host.ts', 'shared/contract.ts', 'test/ui.test.ts', 'vite.config.ts', 'webview/Knob.vue', 'webview/style.css']));
    expect(await readFile(join(work, 'vue-app', 'webview/App.vue'), 'utf8')).toContain('<h1>vue-app</h1>');
    const refused = await init([join(work, 'no-such'), '--template', 'angular']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--template must be one of vanilla, react, svelte, vue, got "angular"');
    expect(existsSync(join(work, 'no-such'))).toBe(false);
  });

  it('a file where the folder should be is refused', async () => {
    await writeFile(join(work, 'a-file'), 'x');
    const { code, stderr } = await init([join(work, 'a-file')]);
    expect(code).toBe(1);
    expect(stderr).toContain('is a file, not a folder');
  });
});

describe.concurrent('hise-webview init in a terminal', () => {
  it('asks for the folder and the package name, asking again for an invalid name', async () => {
    const cwd = await folder('tty-ask');
    const { code, stdout } = await initInTerminal(['--template', 'vanilla'], ['synth page', 'Synth Page', 'synth-page'], cwd);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('Project folder (hise-webview-app):');
    expect(stdout).toContain('Package name (synth-page):');
    expect(stdout).toContain('"Synth Page" is not a valid npm package name');
    expect(JSON.parse(await readFile(join(cwd, 'synth page', 'package.json'), 'utf8')).name).toBe('synth-page');
  });

  it('empty answers take the defaults', async () => {
    const cwd = await folder('tty-defaults');
    const { code } = await initInTerminal(['--template', 'vanilla'], ['', ''], cwd);
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(join(cwd, 'hise-webview-app', 'package.json'), 'utf8')).name).toBe('hise-webview-app');
  });

  it('a non-empty folder: asks, and "n" writes nothing, "y" adds the missing files', async () => {
    const path = await folder('tty-taken', { 'README.md': '# keep me\n' });
    const no = await initInTerminal([path, '--name', 'kept'], ['n'], work);
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('is not empty. Add the files it lacks, keeping every existing file? (y/N)');
    expect(await filesIn(path)).toEqual(['README.md']);
    const yes = await initInTerminal([path, '--name', 'kept', '--template', 'vanilla'], ['y'], work);
    expect(yes.code).toBe(0);
    expect(await readFile(join(path, 'README.md'), 'utf8')).toBe('# keep me\n');
    expect(await filesIn(path)).toEqual(TEMPLATE_FILES);
  });

  it('end of input at a prompt cancels, writing nothing', async () => {
    const cwd = await folder('tty-cancel');
    const { code, stdout } = await initInTerminal([], ['half-typed'], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain('hise-webview: cancelled: nothing was written');
    expect(await filesIn(cwd)).toEqual([]);
  });

  it('without --template, offers the templates to pick from (arrow keys, Enter)', async () => {
    const cwd = await folder('tty-pick');
    // Keys typed once the prompt shows (typed ahead, the terminal would turn Enter into a newline before the prompt reads it raw).
    const command = `stty cols 100 rows 30; '${process.execPath}' '${CLI}' init picked --name picked`;
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (typed || !stdout.includes('Enter')) return;
      typed = true;
      child.stdin.write('\u001b[B'); // down: react
      child.stdin.write('\r');
    });
    const [code] = (await once(child, 'close')) as [number];
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('Template');
    expect(stdout).toContain('svelte (Svelte)');
    const manifest = JSON.parse(await readFile(join(cwd, 'picked', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toContain('react'); // the second choice
    expect(stdout).toContain('npm run dev      # the page through Vite, with its host');
  });

  it('--yes asks nothing', async () => {
    const cwd = await folder('tty-yes');
    const { code, stdout } = await initInTerminal(['--yes'], [], cwd);
    expect(code).toBe(0);
    expect(stdout).not.toContain('Project folder');
    expect(await filesIn(join(cwd, 'hise-webview-app'))).toEqual(TEMPLATE_FILES);
  });
});
