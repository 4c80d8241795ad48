// What each browser entry of the package costs a page, bundled and minified as an app's bundler
// would (esbuild), gzipped: the client, and each framework binding with its framework left out
// (the app has it already). `npm run package-report` prints them; test/package/bundle-sizes.test.ts
// holds the bindings well under the client.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The entries measured, and what each leaves to the app. */
export const BROWSER_ENTRIES = [
  { entry: 'hise-webview/client', external: [] },
  { entry: 'hise-webview/react', external: ['react', 'react/*', 'react-dom', 'react-dom/*'] },
  { entry: 'hise-webview/svelte', external: ['svelte', 'svelte/*'] },
  { entry: 'hise-webview/vue', external: ['vue'] },
];

/**
 * Bundles each entry as resolved from `dir` (a project with hise-webview installed, or the
 * repository itself) and resolves `[{ entry, bytes, gzip }]`.
 */
export async function bundleSizes(dir) {
  const sizes = [];
  for (const { entry, external } of BROWSER_ENTRIES) {
    const result = await build({
      stdin: { contents: `export * from '${entry}';`, resolveDir: dir, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      external,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].contents;
    sizes.push({ entry, bytes: code.byteLength, gzip: gzipSync(code).byteLength });
  }
  return sizes;
}
