// The package as a stranger gets it: packed from a fresh copy of the repository (as a clone would be,
// so `prepack` has to build dist/), installed from the tarball into a new project. Shared by
// `npm run package-report`, `npm run lint:package` and test/package/*.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm as offline as it can be: the local cache first, no audit, no funding notice. */
export const NPM_QUIET_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
/** Large enough for npm's JSON answers and the build's output. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs npm in `cwd` and returns its stdout; rejects with npm's stderr on failure. */
export async function npm(args, cwd, env = {}) {
  // Run from `npm publish --dry-run` (prepublishOnly), npm passes its dry run on to the npm we start,
  // which would then pack nothing.
  const { npm_config_dry_run: _dryRun, ...inherited } = process.env;
  try {
    // Windows runs npm.cmd only through a shell (Node ≥ 20.12 refuses to spawn .cmd files directly).
    const { stdout } = await run(NPM, args, { cwd, env: { ...inherited, ...env }, maxBuffer: MAX_OUTPUT_BYTES, shell: process.platform === 'win32' });
    return stdout;
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${error.stderr ?? ''}${error.stdout ?? ''}`, { cause: error });
  }
}

/** A new empty directory under the system's temporary folder. */
export function tempDir(prefix) {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * Copies the files git would put in a clone (tracked and new, not ignored: no dist/, no
 * node_modules/) to `destination`, and links the repository's node_modules so the copy can build.
 */
export async function freshCopy(destination) {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, maxBuffer: MAX_OUTPUT_BYTES });
  const files = stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const source = join(REPO_ROOT, file);
    const exists = await stat(source).then((info) => info.isFile(), () => false); // deleted but not yet committed
    if (!exists) continue;
    await mkdir(dirname(join(destination, file)), { recursive: true });
    await cp(source, join(destination, file));
  }
  await symlink(join(REPO_ROOT, 'node_modules'), join(destination, 'node_modules'), 'dir');
  return destination;
}

/**
 * `npm pack` in `packageDir` (which runs `prepack`) into `destination`.
 * @returns the tarball's path and npm's list of the files in it
 */
export async function pack(packageDir, destination, { ignoreScripts = false } = {}) {
  const args = ['pack', '--json', '--pack-destination', destination, ...(ignoreScripts ? ['--ignore-scripts'] : [])];
  const stdout = await npm(args, packageDir);
  // npm prints the lifecycle scripts' output before its JSON; the JSON is the last thing printed.
  const [result] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1));
  return { tarball: join(destination, result.filename), files: result.files.map((file) => ({ path: file.path, size: file.size })), size: result.size, unpackedSize: result.unpackedSize };
}

/** Packs a fresh copy of the repository (built by its own `prepack`) into `destination`. */
export async function packFreshCopy(destination) {
  const copy = await freshCopy(join(destination, 'clone'));
  const packed = await pack(copy, destination);
  await rm(copy, { recursive: true, force: true });
  return packed;
}

/**
 * Creates a project in `dir` with `packageJson` and installs `specs` (tarball paths or package names)
 * into it as dependencies.
 */
export async function installProject(dir, packageJson, specs) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...packageJson }, null, 2));
  await npm(['install', ...NPM_QUIET_FLAGS, ...specs], dir);
  return dir;
}

/** Bytes of every file under `dir`, recursively; a file hard-linked twice (esbuild's binary) counts once, symlinks not followed. */
export async function directorySize(dir, seen = new Set()) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path, seen);
    else if (entry.isFile()) {
      const info = await stat(path);
      const inode = `${info.dev}:${info.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
      total += info.size;
    }
  }
  return total;
}

/** The packages npm installed into `projectDir` (from its hidden lockfile), with whether each has install scripts. */
export async function installedPackages(projectDir) {
  const lock = JSON.parse(await readFile(join(projectDir, 'node_modules', '.package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    .map(([path, info]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: info.version, hasInstallScript: info.hasInstallScript === true }));
}

/** Formats a byte count as the README states it: `1.23 MB` (10⁶ bytes, as npm and `du --si` count). */
export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
