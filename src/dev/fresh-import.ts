import { randomUUID } from 'node:crypto';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { FLUSH_SCHEME, GENERATION_PARAM } from './fresh-hooks.js';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DevError } from './errors.js';

/** The part of tsx's API the importer uses (declared here so the published types do not need tsx). */
interface Tsx {
  registerEsm(options: { namespace: string; onImport?: (url: string) => void }): {
    import(specifier: string, parentURL: string): Promise<unknown>;
    unregister(): Promise<void>;
  };
  registerCjs(options: { namespace: string }): { unregister(): void };
}

/** How to get tsx, printed when it is missing. */
export const TSX_INSTALL_HINT = 'npm install --save-dev tsx';

/** A module that did not load: what it threw, and the project files the import had reached. */
export class ImportFailure extends Error {
  override readonly name = 'ImportFailure';
  readonly files: string[];

  constructor(cause: unknown, files: string[]) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.files = files;
  }
}

/** One import: its tsx registrations, and the CommonJS cache entries it added. */
interface Generation {
  namespace: string;
  cjs: { unregister(): void };
  esm: { unregister(): Promise<void> };
  cacheKeys: string[];
}

/** Node's CommonJS module cache, where tsx's `require`d files live (keyed by path plus `?namespace=`). */
const requireCache = createRequire(import.meta.url).cache;

/**
 * Imports a module (TypeScript or JavaScript) as a new module graph each time, in ESM and CommonJS
 * projects alike, with the project files it reached (to watch them).
 *
 * Each import runs under a fresh tsx namespace. ESM files are new per namespace by URL; CommonJS
 * files (what tsx `require`s in a `"type": "commonjs"` project) are not, because Node also caches
 * a relative `require` by its parent's folder: so the previous generation's hooks are unregistered
 * and its CommonJS entries deleted from the cache before the next import. tsx is loaded on demand
 * (an optional peer dependency): a library install does not carry esbuild.
 */
export class FreshImporter {
  readonly #cwd: string;
  readonly #useTsx: boolean;
  #previous: Generation | undefined;

  /**
   * @param cwd the project, where tsx is looked for when the package itself cannot see it
   * @param options `useTsx: false` imports JavaScript as Node does without tsx, even when tsx is installed
   */
  constructor(cwd = process.cwd(), options: { useTsx?: boolean } = {}) {
    this.#cwd = cwd;
    this.#useTsx = options.useTsx ?? true;
  }

  /**
   * Imports `path` (absolute) afresh.
   * @throws {DevError} `TSX_NOT_INSTALLED`; {@link ImportFailure} when the module does not load
   */
  async import(path: string): Promise<{ exports: Record<string, unknown>; files: string[] }> {
    if (!this.#useTsx && isJavaScript(path)) return this.#importNative(path);
    let tsx: Tsx;
    try {
      tsx = await loadTsx(this.#cwd);
    } catch (error) {
      if (!(error instanceof DevError) || error.code !== 'TSX_NOT_INSTALLED') throw error;
      if (!isJavaScript(path)) {
        throw new DevError(
          'TSX_NOT_INSTALLED',
          `${basename(path)} is TypeScript, which host modules load with tsx (not installed): ${TSX_INSTALL_HINT}, or write the module as .mjs or .js, which Node runs itself`,
          { cause: error },
        );
      }
      return this.#importNative(path);
    }
    await this.release();
    const namespace = randomUUID();
    const files = new Set<string>([path]);
    const cached = new Set(Object.keys(requireCache));
    const cjs = tsx.registerCjs({ namespace });
    const esm = tsx.registerEsm({ namespace, onImport: (url) => addProjectFile(files, url) });
    const generation: Generation = { namespace, cjs, esm, cacheKeys: [] };
    this.#previous = generation;
    try {
      const exports = (await esm.import(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
      return { exports, files: required(generation, cached, files) };
    } catch (error) {
      throw new ImportFailure(error, required(generation, cached, files));
    }
  }

  /**
   * Without tsx, a JavaScript module is imported by Node itself, as a new generation each time: its
   * URL and those of the project's ESM files it reaches carry the generation (see fresh-hooks.ts),
   * and the CommonJS files it requires are dropped from the cache before the next import.
   */
  async #importNative(path: string): Promise<{ exports: Record<string, unknown>; files: string[] }> {
    await this.release();
    const files = new Set<string>([path]);
    const cached = new Set(Object.keys(requireCache));
    const generation: Generation = { namespace: randomUUID(), cjs: { unregister: () => undefined }, esm: { unregister: async () => undefined }, cacheKeys: [] };
    this.#previous = generation;
    const hooks = nativeHooks();
    const stopReporting = hooks.report((url) => {
      if (url.includes(generation.namespace)) addProjectFile(files, url);
    });
    try {
      const url = new URL(pathToFileURL(path).href);
      url.searchParams.set(GENERATION_PARAM, generation.namespace);
      const exports = (await import(url.href)) as Record<string, unknown>;
      await hooks.flush();
      return { exports, files: required(generation, cached, files) };
    } catch (error) {
      await hooks.flush().catch(() => undefined);
      throw new ImportFailure(error, required(generation, cached, files));
    } finally {
      stopReporting();
    }
  }

  /** Lets the last import's module graph go (its hooks and CommonJS cache entries). */
  async release(): Promise<void> {
    const previous = this.#previous;
    this.#previous = undefined;
    if (previous === undefined) return;
    previous.cjs.unregister();
    await previous.esm.unregister();
    for (const key of previous.cacheKeys) delete requireCache[key];
  }
}

/**
 * The project files an import reached: those ESM reported, plus the CommonJS files it added to the
 * cache (tsx's, keyed with its namespace, and plain JavaScript Node required itself), which are
 * remembered to be deleted before the next import.
 */
function required(generation: Generation, cachedBefore: Set<string>, files: Set<string>): string[] {
  for (const key of Object.keys(requireCache)) {
    if (cachedBefore.has(key)) continue; // namespaced keys are always new
    const file = projectFile(key);
    if (file === undefined && !key.includes(generation.namespace)) continue;
    generation.cacheKeys.push(key);
    if (file !== undefined) files.add(file);
  }
  return [...files];
}

function addProjectFile(files: Set<string>, where: string): void {
  const file = projectFile(where);
  if (file !== undefined) files.add(file);
}

/** The file behind a module URL or cache key when it is a project file (not under node_modules). */
function projectFile(where: string): string | undefined {
  const bare = where.replace(/\?.*$/, '');
  let file: string;
  if (bare.startsWith('file:')) file = fileURLToPath(bare);
  else if (isAbsolute(bare)) file = bare;
  else return undefined;
  return file.split(sep).includes('node_modules') ? undefined : file;
}

/** The hooks of fresh-hooks.ts, registered on the first native import: who hears the files they report, and a flush. */
interface NativeHooks {
  report(listener: (url: string) => void): () => void;
  /** Resolves once every file reported by imports before it has reached the listeners. */
  flush(): Promise<void>;
}

let hooks: NativeHooks | undefined;
let flushes = 0;

function nativeHooks(): NativeHooks {
  if (hooks !== undefined) return hooks;
  const { port1, port2 } = new MessageChannel();
  const listeners = new Set<(url: string) => void>();
  const flushed = new Map<string, () => void>();
  let waiting = 0;
  port1.on('message', (url: string) => {
    if (url.startsWith(FLUSH_SCHEME)) flushed.get(url)?.();
    else for (const listener of listeners) listener(url);
  });
  port1.unref();
  register(new URL('./fresh-hooks.js', import.meta.url), { data: { port: port2 }, transferList: [port2] });
  hooks = {
    report(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async flush() {
      const marker = `${FLUSH_SCHEME}${++flushes}`;
      const arrived = new Promise<void>((resolve) => flushed.set(marker, resolve));
      if (waiting++ === 0) port1.ref(); // an unref'd port would let the process end while its message is on the way
      try {
        await import(marker); // the hooks answer requests in order: its message comes after every earlier file's
        await arrived;
      } finally {
        flushed.delete(marker);
        if (--waiting === 0) port1.unref();
      }
    },
  };
  return hooks;
}

let tsx: Promise<Tsx> | undefined;

/** tsx, imported once: from beside this package, else from the project (e.g. when run through `npx`). */
function loadTsx(cwd: string): Promise<Tsx> {
  tsx ??= importTsx(cwd).catch((error: unknown) => {
    tsx = undefined; // installed later: found on the next try
    throw error;
  });
  return tsx;
}

async function importTsx(cwd: string): Promise<Tsx> {
  const subpaths = ['esm/api', 'cjs/api'] as const;
  let modules: unknown[];
  try {
    modules = await Promise.all(subpaths.map((subpath) => import(`tsx/${subpath}`)));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      const manifest = createRequire(join(cwd, 'package.json')).resolve('tsx/package.json');
      const { exports } = JSON.parse(await readFile(manifest, 'utf8')) as { exports?: Record<string, unknown> };
      const files = subpaths.map((subpath) => join(dirname(manifest), esmEntry(exports?.[`./${subpath}`])));
      modules = await Promise.all(files.map((file) => import(pathToFileURL(file).href)));
    } catch {
      throw new DevError('TSX_NOT_INSTALLED', `TypeScript host modules are loaded with tsx, which is not installed: ${TSX_INSTALL_HINT}`);
    }
  }
  const [esm, cjs] = modules as [{ register: Tsx['registerEsm'] }, { register: Tsx['registerCjs'] }];
  return { registerEsm: esm.register, registerCjs: cjs.register };
}

/**
 * The ESM file of a package's `exports` entry (its `import` condition, else `default`): a
 * `require.resolve` from the project would give the CommonJS build, which tsx's hooks cannot run.
 */
function esmEntry(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null) {
    const conditions = entry as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default']) if (condition in conditions) return esmEntry(conditions[condition]);
  }
  throw new Error('no ESM entry');
}

/** Whether Node runs `path` itself: `.js`, `.mjs` or `.cjs`. */
function isJavaScript(path: string): boolean {
  return /\.[cm]?js$/i.test(path);
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
