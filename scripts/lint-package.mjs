// `npm run lint:package`: publint and Are The Types Wrong against the packed tarball (a fresh copy of
// the repository, packed as a clone would be). Both run offline: they read the tarball, nothing else.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packFreshCopy, REPO_ROOT, tempDir } from './packed-package.mjs';

const run = promisify(execFile);

/**
 * attw's options, each with its reason:
 * - `--profile esm-only`: the package is ESM only. attw's `node10` (no `exports` support) and
 *   `node16-cjs` ("CJS importing ESM") resolutions describe consumers that cannot load it without
 *   `import()`; Node ≥ 20.19 / 22.12 `require()`s it, and TypeScript ≥ 5.8 types that `require`
 *   under `module: nodenext` (test/package/consumer.test.ts checks both).
 * - `--exclude-entrypoints hisewebsocket-min.js`: the drop-in is a classic browser script (a global,
 *   as HISE's file is), exported as a file to serve, not a module to import; it has no types by design.
 * - `--no-definitely-typed`: never look for `@types/hise-webview` on the network.
 */
export const ATTW_ARGS = ['--profile', 'esm-only', '--exclude-entrypoints', 'hisewebsocket-min.js', '--no-definitely-typed', '--format', 'ascii'];

/** publint's findings (suggestions included) as readable lines; empty when it has none. */
export async function publintProblems(tarball) {
  const bytes = await readFile(tarball);
  const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'suggestion', strict: true });
  return messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
}

/** attw's verdict: `ok` false when it found a problem its options do not ignore; `output` its report. */
export async function attw(tarball) {
  const bin = join(REPO_ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
  try {
    const { stdout } = await run(process.execPath, [bin, tarball, ...ATTW_ARGS], { cwd: REPO_ROOT });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

async function main() {
  const dir = await tempDir('hise-lint-package-');
  try {
    const { tarball } = await packFreshCopy(dir);
    const problems = await publintProblems(tarball);
    console.log(problems.length === 0 ? 'publint: no problems' : `publint:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    const types = await attw(tarball);
    console.log(types.output);
    if (problems.length > 0 || !types.ok) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
