// Builds the package: tsc for the three layers (JS + d.ts), then esbuild for the classic-script drop-in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
// No clean step: tsc -b is incremental, and other processes (tests, a running demo) may be reading dist/.
execFileSync(process.execPath, [new URL('node_modules/typescript/bin/tsc', root).pathname, '-b', 'tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});

const dropIn = new URL('dist/hisewebsocket-min.js', root).pathname;
await build({
  entryPoints: [new URL('src/client/global.ts', root).pathname],
  outfile: dropIn,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
});
// The modern client (and the drop-in) as one ES module, for pages without a bundler; the host serves it.
await build({
  entryPoints: [new URL('src/client/index.ts', root).pathname],
  outfile: new URL('dist/hise-webview-client.js', root).pathname,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
});

// The page side of direct communication, a classic script the host serves after its config.
await build({
  entryPoints: [new URL('src/client/bridge.ts', root).pathname],
  outfile: new URL('dist/hise-webview-bridge.js', root).pathname,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
});

const bytes = readFileSync(dropIn);
console.log(`dist/hisewebsocket-min.js: ${bytes.byteLength} bytes, ${gzipSync(bytes).byteLength} bytes gzip`);
