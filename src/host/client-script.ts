import { readFile } from 'node:fs/promises';

/** The built drop-in client, looked up beside the compiled host first, then in the package's dist/. */
const CANDIDATES = [
  new URL('../hisewebsocket-min.js', import.meta.url),
  new URL('../../dist/hisewebsocket-min.js', import.meta.url),
];

let cached: Promise<Buffer | undefined> | undefined;

/** The bytes of `hisewebsocket-min.js`, read once; `undefined` when the package has not been built. */
export function loadClientScript(): Promise<Buffer | undefined> {
  cached ??= findClientScript();
  return cached;
}

async function findClientScript(): Promise<Buffer | undefined> {
  for (const candidate of CANDIDATES) {
    try {
      return await readFile(candidate);
    } catch {
      // try the next place
    }
  }
  cached = undefined; // a later build may still provide it
  return undefined;
}
