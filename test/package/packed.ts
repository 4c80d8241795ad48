// Typed access to the package scripts the tests share with `npm run package-report` and
// `npm run lint:package` (plain .mjs, loaded by URL so the test project needs no declarations).

export interface PackedFile {
  path: string;
  size: number;
}

export interface InstalledPackage {
  name: string;
  version: string;
  hasInstallScript: boolean;
}

/** scripts/packed-package.mjs */
export interface PackedPackage {
  REPO_ROOT: string;
  NPM_QUIET_FLAGS: string[];
  npm(args: string[], cwd: string, env?: Record<string, string>): Promise<string>;
  tempDir(prefix: string): Promise<string>;
  freshCopy(destination: string): Promise<string>;
  pack(packageDir: string, destination: string, options?: { ignoreScripts?: boolean }): Promise<{ tarball: string; files: PackedFile[] }>;
  packFreshCopy(destination: string): Promise<{ tarball: string; files: PackedFile[] }>;
  installProject(dir: string, packageJson: Record<string, unknown>, specs: string[]): Promise<string>;
  directorySize(dir: string): Promise<number>;
  installedPackages(projectDir: string): Promise<InstalledPackage[]>;
}

/** scripts/lint-package.mjs */
export interface LintPackage {
  publintProblems(tarball: string): Promise<string[]>;
  attw(tarball: string): Promise<{ ok: boolean; output: string }>;
}

const load = (path: string): Promise<unknown> => import(new URL(`../../scripts/${path}`, import.meta.url).href);

export const packed = (await load('packed-package.mjs')) as PackedPackage;
export const lint = (await load('lint-package.mjs')) as LintPackage;

/** The version of a package installed in the repository, so a consumer installs it from npm's cache. */
export async function installedVersion(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  return (JSON.parse(await readFile(join(packed.REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
