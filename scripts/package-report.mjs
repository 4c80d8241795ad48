// `npm run package-report`: what `npm i hise-webview` gives a stranger. Packs a fresh copy of the
// repository (its `prepack` builds dist/), installs the tarball into an empty project, and prints the
// install size of node_modules, the packages installed (and any with install scripts), and the
// tarball's file list, and what each browser entry (the client, each framework binding) costs a page,
// gzipped (scripts/bundle-sizes.mjs). `--json` prints the same as JSON.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleSizes } from './bundle-sizes.mjs';
import { directorySize, installedPackages, installProject, megabytes, packFreshCopy, tempDir } from './packed-package.mjs';

/** The install budget the README promises (issue 12): node_modules of `npm i hise-webview`. */
export const INSTALL_BUDGET_BYTES = 4e6;

const json = process.argv.includes('--json');
const dir = await tempDir('hise-package-report-');
try {
  const packed = await packFreshCopy(dir);
  const project = await installProject(join(dir, 'project'), {}, [packed.tarball]);
  const installBytes = await directorySize(join(project, 'node_modules'));
  const packages = await installedPackages(project);
  const bundles = await bundleSizes(project);
  const report = { tarballBytes: packed.size, unpackedBytes: packed.unpackedSize, installBytes, budgetBytes: INSTALL_BUDGET_BYTES, packages, bundles, files: packed.files };
  if (json) console.log(JSON.stringify(report, null, 2));
  else print(report);
  if (installBytes > INSTALL_BUDGET_BYTES || packages.some((p) => p.hasInstallScript)) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}

function print({ tarballBytes, unpackedBytes, installBytes, packages, bundles, files }) {
  console.log(`tarball: ${megabytes(tarballBytes)} (${files.length} files, ${megabytes(unpackedBytes)} unpacked)`);
  const verdict = installBytes <= INSTALL_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`install: ${megabytes(installBytes)} of node_modules, ${packages.length} packages (${verdict} the ${megabytes(INSTALL_BUDGET_BYTES)} budget)`);
  for (const p of packages) console.log(`  ${p.name}@${p.version}${p.hasInstallScript ? '  ← runs an install script' : ''}`);
  const scripts = packages.filter((p) => p.hasInstallScript).length;
  console.log(scripts === 0 ? 'install scripts: none' : `install scripts: ${scripts} package(s)`);
  console.log('in a page (bundled, minified, gzipped; frameworks not counted):');
  for (const b of bundles) console.log(`  ${b.entry.padEnd(22)} ${String(b.gzip).padStart(6)} bytes gzip (${b.bytes} minified)`);
  console.log('files:');
  for (const file of files) console.log(`  ${String(file.size).padStart(8)}  ${file.path}`);
}
