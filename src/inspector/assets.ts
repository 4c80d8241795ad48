import { readFile } from 'node:fs/promises';

/** The inspector page's script, built by scripts/build.mjs from src/inspector/page/. */
export const PAGE_SCRIPT = 'inspector-page.js';

const cache = new Map<string, Promise<Buffer | undefined>>();

/** A built file of dist/, read once; `undefined` when the package has not been built. */
export function loadAsset(file: string): Promise<Buffer | undefined> {
  let bytes = cache.get(file);
  if (bytes === undefined) {
    bytes = find(file);
    cache.set(file, bytes);
  }
  return bytes;
}

/** Beside the compiled module first (dist/inspector → dist/), then in the package's dist/ (running from src/). */
async function find(file: string): Promise<Buffer | undefined> {
  for (const candidate of [new URL(`../${file}`, import.meta.url), new URL(`../../dist/${file}`, import.meta.url)]) {
    try {
      return await readFile(candidate);
    } catch {
      // try the next place
    }
  }
  cache.delete(file); // a later build may still provide it
  return undefined;
}
