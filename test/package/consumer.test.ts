import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedVersion, lint, packed, type InstalledPackage, type PackedFile } from './packed.js';

// The package as a stranger gets it: a fresh copy of the repository packed (its `prepack` builds
// dist/), the tarball installed into new projects (ESM and CommonJS Node projects, a browser-only
// one), each type-checked under `strict` without `skipLibCheck` for every moduleResolution, then run.

const run = promisify(execFile);
const TSC = join(packed.REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const INSTALL_BUDGET_BYTES = 4e6;
const SETUP_TIMEOUT_MS = 240_000;
const TSC_TIMEOUT_MS = 120_000;

let dir: string;
let tarball: string;
let files: PackedFile[];
let nodeEsm: string;
let nodeCjs: string;
let browser: string;
let installBytes: number;
let installed: InstalledPackage[];

async function writeFiles(root: string, contents: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(contents)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/**
 * A consumer's tsconfig: strict, no skipLibCheck (every package's declarations are checked, ours and
 * @types/node's), only the given files. `skipDefaultLibCheck` skips TypeScript's own lib.*.d.ts
 * only, which no package ships, and halves the time.
 */
function tsconfig(options: Record<string, unknown>, include: string[]): string {
  return JSON.stringify({ compilerOptions: { strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true, target: 'ES2022', ...options }, include }, null, 2);
}

const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

/** Uses every public entry a Node program would, with a contract, so the declarations are really exercised. */
const NODE_ESM_SOURCE = `import { WebView, WebViewError, CallError, DEFAULT_OPTIONS, type Contract, type Page, type SendResult } from 'hise-webview';
import { SUBPROTOCOL, encodeString, decodeMessage } from 'hise-webview/protocol';
import { connect, HiseWebSocketServer, type WebSocketConstructor } from 'hise-webview/client';

interface Synth extends Contract {
  events: { scope: Float32Array; state: { gain: number } };
  messages: { gain: number };
  host: { loadPreset(name: string): Promise<boolean> };
  page: { flash(color: string): void };
}

const wv = new WebView<Synth>({ token: 'auto', maxPayload: DEFAULT_OPTIONS.maxPayload });
const port: number = await wv.setEnableWebSocket(0);
const sent: SendResult = wv.send('state', { gain: -6 });
wv.onMessage('gain', (db: number, page: Page) => console.log(db, page.id, page.extended));
wv.handle('loadPreset', async (name: string) => name.length > 0);
wv.on('error', (error: WebViewError) => console.log(error.code));
wv.bindCallback('setGain', ([db]) => Number(db));
const decoded = decodeMessage(encodeString('id', 'text'));
export const summary = [port, sent, SUBPROTOCOL, decoded, CallError.name, typeof HiseWebSocketServer];
export const client = (WebSocket: WebSocketConstructor) => connect<Synth>({ port, WebSocket });
await wv.close();
`;

/** A CommonJS file that requires the ESM package (TypeScript ≥ 5.8 under nodenext, Node ≥ 20.19). */
const NODE_CJS_REQUIRE_SOURCE = `import { WebView, type Page } from 'hise-webview';
import { SUBPROTOCOL } from 'hise-webview/protocol';

export async function start(): Promise<number> {
  const wv = new WebView();
  wv.on('connect', (page: Page) => console.log(page.id, SUBPROTOCOL));
  return wv.setEnableWebSocket(0);
}
`;

/** A CommonJS file that loads it with import(), which every resolution mode accepts. */
const NODE_CJS_IMPORT_SOURCE = `export async function start(): Promise<number> {
  const { WebView } = await import('hise-webview');
  const wv = new WebView();
  return wv.setEnableWebSocket(0);
}
`;

/** A page: the client entries only, with DOM types and no Node types. */
const BROWSER_SOURCE = `import { connect, HiseWebSocketServer, CallError, type Contract, type HiseData } from 'hise-webview/client';
import { decodeMessage, SUBPROTOCOL } from 'hise-webview/protocol';

interface Synth extends Contract {
  events: { scope: Float32Array };
  messages: { gain: number };
  host: { loadPreset(name: string): Promise<boolean> };
  page: { flash(color: string): void };
}

const client = connect<Synth>({ port: Number(location.port) });
client.on('scope', (samples: Float32Array) => samples.length);
client.send('gain', -6);
client.handle('flash', (color: string) => { document.body.style.background = color; });
export const loaded: Promise<boolean> = client.call('loadPreset', 'warm');
const server = new HiseWebSocketServer(Number(location.port));
server.addEventListener((id: string, data: HiseData) => console.log(id, data));
export const names = [CallError.name, SUBPROTOCOL, typeof decodeMessage];
`;

/** Runs the repository's TypeScript against one of a consumer's tsconfigs; resolves its output. */
async function typeCheck(project: string, config: string): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [TSC, '-p', config, '--pretty', 'false'], { cwd: project });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

/** Runs a Node script in a project; resolves its exit code and output. */
async function node(project: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: project });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, stdout: stdout ?? '', stderr: stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await packed.tempDir('hise-consumer-');
  ({ tarball, files } = await packed.packFreshCopy(dir));
  const typesNode = `@types/node@${await installedVersion('@types/node')}`;

  // CommonJS first with the package alone: what `npm i hise-webview` weighs. Then Node's types.
  nodeCjs = await packed.installProject(join(dir, 'node-cjs'), { type: 'commonjs' }, [tarball]);
  installBytes = await packed.directorySize(join(nodeCjs, 'node_modules'));
  installed = await packed.installedPackages(nodeCjs);
  await packed.npm(['install', ...packed.NPM_QUIET_FLAGS, typesNode], nodeCjs);
  nodeEsm = await packed.installProject(join(dir, 'node-esm'), { type: 'module' }, [tarball, typesNode]);
  browser = await packed.installProject(join(dir, 'browser'), { type: 'module' }, [tarball]);

  const nodeTypes = { lib: ['ES2022'], types: ['node'] };
  const browserTypes = { lib: ['DOM', 'ES2022'], types: [] };
  for (const [name, resolution] of Object.entries(RESOLUTIONS)) {
    await writeFiles(nodeEsm, { [`tsconfig.${name}.json`]: tsconfig({ ...resolution, ...nodeTypes }, ['src/**/*.ts']) });
    await writeFiles(browser, { [`tsconfig.${name}.json`]: tsconfig({ ...resolution, ...browserTypes }, ['src/**/*.ts']) });
  }
  // require() of ESM is typed under nodenext only (TypeScript ≥ 5.8); node16 consumers use import().
  await writeFiles(nodeCjs, {
    'tsconfig.nodenext.json': tsconfig({ ...RESOLUTIONS.nodenext, ...nodeTypes }, ['src/**/*.ts']),
    'tsconfig.node16.json': tsconfig({ ...RESOLUTIONS.node16, ...nodeTypes }, ['src/dynamic.ts']),
  });
  await writeFiles(nodeEsm, { 'src/host.ts': NODE_ESM_SOURCE });
  await writeFiles(nodeCjs, { 'src/require.ts': NODE_CJS_REQUIRE_SOURCE, 'src/dynamic.ts': NODE_CJS_IMPORT_SOURCE });
  await writeFiles(browser, { 'src/page.ts': BROWSER_SOURCE });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('is built by prepack from a fresh clone and ships dist and the docs, no sources and no build state', () => {
    const paths = files.map((f) => f.path);
    for (const entry of ['dist/host/index.js', 'dist/host/index.d.ts', 'dist/client/index.js', 'dist/protocol/index.js', 'dist/vite/index.js', 'dist/testing/index.js', 'dist/cli/main.js', 'dist/hisewebsocket-min.js']) {
      expect(paths).toContain(entry);
    }
    for (const file of ['LICENSE', 'README.md', 'PROTOCOL.md', 'package.json']) expect(paths).toContain(file);
    expect(paths.filter((p) => p.includes('tsbuildinfo') || p.startsWith('dist/.tsbuild'))).toEqual([]);
    expect(paths.filter((p) => /^(src|test|examples|bench|scripts)\//.test(p) || p === 'tsconfig.json' || p === 'tsconfig.base.json')).toEqual([]); // templates/ has its own, for init
  });

  it('ships no source maps (they would point at src/, which it does not ship) and no comment naming one', async () => {
    expect(files.map((f) => f.path).filter((p) => p.endsWith('.map'))).toEqual([]);
    const root = join(nodeEsm, 'node_modules', 'hise-webview');
    const naming: string[] = [];
    for (const { path } of files.filter((f) => /\.(js|d\.ts)$/.test(f.path))) {
      if ((await readFile(join(root, path), 'utf8')).includes('//# sourceMappingURL=')) naming.push(path);
    }
    expect(naming).toEqual([]);
  });

  it('has no problems publint or Are The Types Wrong (esm-only profile) can find', async () => {
    expect(await lint.publintProblems(tarball)).toEqual([]);
    const types = await lint.attw(tarball);
    expect(types.ok, types.output).toBe(true);
    expect(types.output).toMatch(/"hise-webview\/client"[\s\S]*node16 \(from ESM\): 🟢/);
  }, TSC_TIMEOUT_MS);
});

/** The repository's address, as package.json's `repository` names it, for links to files not shipped. */
const REPO_FILE_URL = /^https:\/\/(?:github\.com\/hise-webview\/hise-webview\/blob\/main|raw\.githubusercontent\.com\/hise-webview\/hise-webview\/main)\/([^#?]+)/;

describe('the README outside the repository', () => {
  it('links only to files the tarball ships, or to files of the repository by absolute URL', async () => {
    // Links in prose only: code blocks and inline code (`window[name](...args)`) are not links.
    const readme = (await readFile(join(packed.REPO_ROOT, 'README.md'), 'utf8')).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !t.startsWith('#') && /[./]/.test(t));
    expect(targets.length).toBeGreaterThan(5);
    const shipped = new Set(files.map((f) => f.path));
    const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: packed.REPO_ROOT });
    const inRepository = new Set(stdout.split('\n'));
    const broken = targets.filter((target) => {
      const repositoryFile = REPO_FILE_URL.exec(target)?.[1];
      if (repositoryFile !== undefined) return !inRepository.has(repositoryFile);
      if (/^https?:\/\//.test(target)) return false; // another site
      return !shipped.has(target.split('#')[0]!);
    });
    expect(broken, 'link files the tarball does not ship as https://github.com/hise-webview/hise-webview/blob/main/PATH').toEqual([]);
  });

  it('states the install size npm run package-report measures', async () => {
    const readme = await readFile(join(packed.REPO_ROOT, 'README.md'), 'utf8');
    const stated = /The install is ([\d.]+) MB of `node_modules` \((\d+) packages/.exec(readme);
    expect(stated, 'README: "The install is N MB of `node_modules` (K packages"').not.toBeNull();
    // The dependencies' patch releases move the figure a little; the README is off by at most 10 %.
    expect(Math.abs(installBytes / 1e6 - Number(stated![1])) / Number(stated![1])).toBeLessThanOrEqual(0.1);
    expect(installed.filter((p) => p.name !== 'hise-webview')).toHaveLength(Number(stated![2]));
  });
});

describe('npm i hise-webview', () => {
  it(`installs at most ${INSTALL_BUDGET_BYTES / 1e6} MB of node_modules`, () => {
    expect(installBytes, `node_modules: ${installed.map((p) => p.name).join(', ')}`).toBeLessThanOrEqual(INSTALL_BUDGET_BYTES);
  });

  it('runs no install scripts and pulls none of the demo’s packages', () => {
    expect(installed.filter((p) => p.hasInstallScript).map((p) => p.name)).toEqual([]);
    const names = installed.map((p) => p.name);
    for (const demoOnly of ['fft.js', 'wavefile', 'esbuild']) expect(names).not.toContain(demoOnly);
  });
});

describe('a Node project (ESM) type-checks under strict without skipLibCheck', () => {
  for (const name of Object.keys(RESOLUTIONS)) {
    it(`moduleResolution ${name}`, async () => {
      const result = await typeCheck(nodeEsm, `tsconfig.${name}.json`);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }, TSC_TIMEOUT_MS);
  }

  it('imports every entry and runs a host', async () => {
    await writeFile(
      join(nodeEsm, 'smoke.mjs'),
      `import { WebView } from 'hise-webview';
import { SUBPROTOCOL } from 'hise-webview/protocol';
import { connect } from 'hise-webview/client';
import { hiseWebview } from 'hise-webview/vite';
import { createTestHost } from 'hise-webview/testing';
const wv = new WebView();
const port = await wv.setEnableWebSocket(0);
const script = await fetch(\`http://127.0.0.1:\${port}/hisewebsocket-min.js\`);
console.log(JSON.stringify({ port, status: script.status, subprotocol: SUBPROTOCOL, connect: typeof connect, vite: typeof hiseWebview, testing: typeof createTestHost }));
await wv.close();
`,
    );
    const result = await node(nodeEsm, ['smoke.mjs']);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 200, subprotocol: 'hise-webview.1', connect: 'function', vite: 'function', testing: 'function' });
    expect(summary.port).toBeGreaterThan(0);
  }, TSC_TIMEOUT_MS);

  it('npx hise-webview --help prints the commands', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'hise-webview', '--help'], { cwd: nodeEsm }); // without --, npx takes --help itself
    expect(stdout).toMatch(/serve/);
  }, TSC_TIMEOUT_MS);
});

describe('a CommonJS project (npm init -y)', () => {
  it('type-checks require() of the package under nodenext', async () => {
    const result = await typeCheck(nodeCjs, 'tsconfig.nodenext.json');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, TSC_TIMEOUT_MS);

  it('type-checks import() of the package under node16', async () => {
    const result = await typeCheck(nodeCjs, 'tsconfig.node16.json');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, TSC_TIMEOUT_MS);

  it('require()s every entry (Node ≥ 20.19) and runs a host', async () => {
    await writeFile(
      join(nodeCjs, 'smoke.js'),
      `const { WebView } = require('hise-webview');
const { SUBPROTOCOL } = require('hise-webview/protocol');
const { connect } = require('hise-webview/client');
const wv = new WebView();
wv.setEnableWebSocket(0).then(async (port) => {
  console.log(JSON.stringify({ port, subprotocol: SUBPROTOCOL, connect: typeof connect }));
  await wv.close();
});
`,
    );
    const result = await node(nodeCjs, ['smoke.js']); // and no ExperimentalWarning on stderr
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ subprotocol: 'hise-webview.1', connect: 'function' });
  }, TSC_TIMEOUT_MS);
});

describe('a browser-only project (lib DOM, no Node types) type-checks the client entries', () => {
  for (const name of Object.keys(RESOLUTIONS)) {
    it(`moduleResolution ${name}`, async () => {
      const result = await typeCheck(browser, `tsconfig.${name}.json`);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    }, TSC_TIMEOUT_MS);
  }

  it('has no Node types to lean on', async () => {
    expect(await readdir(join(browser, 'node_modules'))).not.toContain('@types');
  });
});
