// Builds the package: tsc for every layer (JS + d.ts), then esbuild for the scripts browsers load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const path = (relative) => new URL(relative, root).pathname;

// No clean step: tsc -b is incremental, and other processes (tests, a running demo) may be reading dist/.
execFileSync(process.execPath, [path('node_modules/typescript/bin/tsc'), '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });

/** The browser scripts the host serves (src/host/client-script.ts), each minified into dist/. */
const BUNDLES = [
  // The drop-in: a classic script defining the global HiseWebSocketServer, as HISE's file does.
  { entry: 'src/client/global.ts', out: 'dist/hisewebsocket-min.js', format: 'iife' },
  // The modern client (and the drop-in) as one ES module, for pages without a bundler.
  { entry: 'src/client/index.ts', out: 'dist/hise-webview-client.js', format: 'esm' },
  // The page side of direct communication, a classic script the host serves after its config.
  { entry: 'src/client/bridge.ts', out: 'dist/hise-webview-bridge.js', format: 'iife' },
];

for (const { entry, out, format } of BUNDLES) {
  await build({ entryPoints: [path(entry)], outfile: path(out), bundle: true, minify: true, format, target: 'es2022', legalComments: 'none' });
  const bytes = readFileSync(path(out));
  console.log(`${out}: ${bytes.byteLength} bytes, ${gzipSync(bytes).byteLength} bytes gzip`);
}
