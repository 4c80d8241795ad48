import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder (dist/cli → ../..): a clone, or where npm installed it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The dependency a scaffolded project declares on hise-webview, and where it points, in words. */
export interface InstallSource {
  /** The `package.json` dependency value: `file:<path>` or `^<version>`. */
  spec: string;
  /** Where that is, for the printed next steps. */
  from: string;
}

/**
 * Where a project made by `init` installs hise-webview from: the place this `init` came from, so the
 * scaffold installs without the package being on the registry. A clone (this package's folder is not
 * inside a `node_modules`) → `file:<clone>`; an install from a tarball or a folder (the installing
 * project's lock file says `file:…`, as `npx ./hise-webview-0.1.0.tgz` writes it) → `file:<that>`;
 * an install from the registry → `^<version>`.
 */
export async function installSource(version: string, root = PACKAGE_ROOT): Promise<InstallSource> {
  const parts = resolve(root).split(sep);
  const last = parts.lastIndexOf('node_modules');
  if (last === -1) return { spec: `file:${resolve(root)}`, from: `the clone at ${resolve(root)}` };
  const project = parts.slice(0, last).join(sep) || sep;
  const key = relative(project, root).split(sep).join('/');
  for (const lock of [join(project, 'package-lock.json'), join(project, 'node_modules', '.package-lock.json')]) {
    const resolved = await lockedResolution(lock, key);
    if (resolved === undefined) continue;
    if (resolved.startsWith('file:')) {
      const target = resolved.slice('file:'.length);
      const path = isAbsolute(target) ? target : resolve(dirname(lock) === join(project, 'node_modules') ? project : dirname(lock), target);
      return { spec: `file:${path}`, from: path };
    }
    break;
  }
  return { spec: `^${version}`, from: 'the npm registry' };
}

/** The `resolved` field of `key` (`node_modules/hise-webview`) in an npm lock file, if it has one. */
async function lockedResolution(lockFile: string, key: string): Promise<string | undefined> {
  try {
    const lock = JSON.parse(await readFile(lockFile, 'utf8')) as { packages?: Record<string, { resolved?: unknown }> };
    const resolved = lock.packages?.[key]?.resolved;
    return typeof resolved === 'string' ? resolved : undefined;
  } catch {
    return undefined;
  }
}
