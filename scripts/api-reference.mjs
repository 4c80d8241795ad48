// The API reference (docs/reference/), generated from the package's exported types with TypeDoc and
// typedoc-plugin-markdown: `npm run docs:api`, or `node scripts/api-reference.mjs <out dir>`.
// Deterministic (no source links, no git revision, no dates), so test/package/api-reference.test.ts
// can regenerate it into a temporary folder and compare it byte for byte with the committed one.
import { Application, Converter } from 'typedoc';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One entry point per export of package.json, under the name a user imports it by. */
export const ENTRY_POINTS = ['host', 'client', 'client/worker', 'client/scopes', 'protocol', 'vite', 'testing', 'inspector', 'react', 'svelte', 'vue'].map((layer) => `src/${layer}/index.ts`);

/** What a user imports each entry point as (the export of package.json). */
const IMPORT_NAMES = { host: 'hise-webview', client: 'hise-webview/client', 'client/worker': 'hise-webview/client/worker', 'client/scopes': 'hise-webview/client/scopes', protocol: 'hise-webview/protocol', vite: 'hise-webview/vite', testing: 'hise-webview/testing', inspector: 'hise-webview/inspector', react: 'hise-webview/react', svelte: 'hise-webview/svelte', vue: 'hise-webview/vue' };

/** Writes the reference to `outDir` (absolute or relative to the repository); rejects when TypeDoc reports an error. */
export async function generate(outDir) {
  const app = await Application.bootstrapWithPlugins({
    entryPoints: ENTRY_POINTS.map((entry) => resolve(root, entry)),
    tsconfig: resolve(root, 'scripts/api-reference.tsconfig.json'),
    plugin: ['typedoc-plugin-markdown'],
    out: resolve(root, outDir),
    name: 'hise-webview API reference',
    readme: 'none',
    entryFileName: 'README.md',
    // The checked build and `npm run typecheck` type-check the sources; TypeDoc only reads them.
    skipErrorChecking: true,
    // Line numbers and commit links would change with every edit of src/, not with the API.
    disableSources: true,
    disableGit: true,
    sourceLinkTemplate: 'https://github.com/hise-webview/hise-webview',
    excludePrivate: true,
    excludeInternal: true,
    excludeExternals: true,
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    logLevel: 'Warn',
  });
  // Modules are named by their folder in src/; a reader imports them by the package's export names.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) module.name = IMPORT_NAMES[module.name] ?? module.name;
  });
  const project = await app.convert();
  if (project === undefined || app.logger.hasErrors()) throw new Error('TypeDoc could not convert the entry points (see above)');
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error('TypeDoc could not write the reference (see above)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? 'docs/reference';
  await generate(outDir);
  console.log(`API reference written to ${outDir}`);
}
