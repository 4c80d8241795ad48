// Builds the package: tsc for every layer (JS + d.ts), then esbuild for the scripts browsers load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const path = (relative) => new URL(relative, root).pathname;

// No clean step: tsc -b is incremental, and other processes (tests, a running demo) may be reading dist/.
execFileSync(process.execPath, [path('node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });

/** The browser scripts the host serves (src/host/http/client-script.ts), each minified into dist/. */
const BUNDLES = [
  // The drop-in: a classic script defining the global HiseWebSocketServer, as HISE's file does.
  { entry: 'src/client/global.ts', out: 'dist/hisewebsocket-min.js', format: 'iife' },
  // The modern client (and the drop-in) as one ES module, for pages without a bundler.
  { entry: 'src/client/index.ts', out: 'dist/hise-webview-client.js', format: 'esm' },
  // The page side of direct communication, a classic script the host serves after its config.
  { entry: 'src/client/bridge.ts', out: 'dist/hise-webview-bridge.js', format: 'iife' },
  // The worker client (issue 26), a separate entry so connect() pages load none of it, and its worker
  // (a module worker; the client looks for it beside itself: served by the host, and in dist/client/worker/).
  { entry: 'src/client/worker/index.ts', out: 'dist/hise-webview-worker-client.js', format: 'esm' },
  { entry: 'src/client/worker/worker-entry.ts', out: 'dist/hise-webview-worker.js', format: 'esm' },
  { entry: 'src/client/worker/worker-entry.ts', out: 'dist/client/worker/hise-webview-worker.js', format: 'esm' },
  // The inspector page (src/inspector/page), built on the modern client; served by attachInspector.
  { entry: 'src/inspector/page/main.ts', out: 'dist/inspector-page.js', format: 'esm' },
];

for (const { entry, out, format } of BUNDLES) {
  await build({ entryPoints: [path(entry)], outfile: path(out), bundle: true, minify: true, format, target: 'es2022', legalComments: 'none' });
  const bytes = readFileSync(path(out));
  console.log(`${out}: ${bytes.byteLength} bytes, ${gzipSync(bytes).byteLength} bytes gzip`);
}

/**
 * `--release` (what `prepack` runs, after emptying dist/): the tarball carries no source or
 * declaration maps. They point at src/, which it does not ship: shipping both would cost about
 * 0.6 MB of the 4 MB install budget, and the compiled JavaScript reads close to the source anyway.
 * The build state goes too, so the next development build emits everything again, maps included.
 */
if (process.argv.includes('--release')) {
  const removed = await stripSourceMaps(path('dist/'));
  await rm(path('dist/.tsbuild'), { recursive: true, force: true });
  console.log(`release: ${removed} source maps removed, and their sourceMappingURL comments`);
}

/** Deletes every .map under `dir` and the `//# sourceMappingURL=` comment of the files they mapped; resolves how many maps went. */
async function stripSourceMaps(dir) {
  let removed = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.name.endsWith('.map')) {
      await rm(file);
      removed++;
    } else if (entry.name.endsWith('.js') || entry.name.endsWith('.d.ts')) {
      const text = await readFile(file, 'utf8');
      const stripped = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      if (stripped !== text) await writeFile(file, stripped);
    }
  }
  return removed;
}
