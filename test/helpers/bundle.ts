import { resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * One export of a source module, bundled for a browser page as a classic script that sets
 * `window[name]`: for testing a client-side function by itself in a real engine.
 */
export async function bundled(file: string, name: string): Promise<string> {
  const result = await build({
    stdin: { contents: `import { ${name} } from ${JSON.stringify(resolve(ROOT, file))};\nwindow[${JSON.stringify(name)}] = ${name};`, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}
