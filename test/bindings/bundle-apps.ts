// Bundles the test apps (test/bindings/apps) with esbuild from the repository's node_modules: the
// bindings as built (dist/, through the package's own exports), React, Vue, and Svelte components
// compiled by svelte/compiler. No install, no Vite: a second or two.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { compile } from 'svelte/compiler';

const APPS = fileURLToPath(new URL('./apps/', import.meta.url));
export const FRAMEWORKS = ['react', 'vue', 'svelte'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Compiles `.svelte` files for the browser. */
const svelte: Plugin = {
  name: 'svelte',
  setup(builder) {
    builder.onLoad({ filter: /\.svelte$/ }, async ({ path }) => ({
      contents: compile(await readFile(path, 'utf8'), { filename: path, generate: 'client' }).js.code,
      loader: 'js',
    }));
  },
};

/** Writes `<framework>.js` and `<framework>.html` per framework into `dir`; resolves each bundle's size. */
export async function bundleApps(dir: string): Promise<Record<Framework, number>> {
  const result = await build({
    entryPoints: Object.fromEntries(FRAMEWORKS.map((f) => [f, join(APPS, `${f}-app.ts`)])),
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [svelte],
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  for (const framework of FRAMEWORKS) {
    await writeFile(
      join(dir, `${framework}.html`),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${framework} test app</title>
<style>.knob{width:80px;height:80px;margin:120px 40px 20px;background:#ddd;color:#000}:focus-visible{outline:3px solid #05f}</style></head>
<body><main><h1>${framework} test app</h1><div id="root"></div></main><script type="module" src="${framework}.js"></script></body></html>`,
    );
  }
  const sizes = {} as Record<Framework, number>;
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const framework = FRAMEWORKS.find((f) => file.endsWith(`${f}.js`));
    if (framework !== undefined) sizes[framework] = output.bytes;
  }
  return sizes;
}
