// Module customization hooks (node:module `register`) for host modules Node imports itself (no tsx):
// every project file imported from a module of one generation is imported as that generation too, so
// an edited helper is evaluated afresh on the next restart, and each such file is reported (to watch it).
import type { MessagePort } from 'node:worker_threads';

/** The query parameter naming the generation, on the host module's URL and on every project file it reaches. */
export const GENERATION_PARAM = 'hise-webview-generation';
/** A specifier whose import answers once every file of the imports before it has been reported. */
export const FLUSH_SCHEME = 'hise-webview-flush:';

interface ResolveContext {
  parentURL?: string | undefined;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null | undefined }>;

let port: MessagePort | undefined;

export function initialize(data: { port: MessagePort }): void {
  port = data.port;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; format?: string | null | undefined; shortCircuit?: boolean }> {
  if (specifier.startsWith(FLUSH_SCHEME)) {
    port?.postMessage(specifier);
    return { url: 'data:text/javascript,', format: 'module', shortCircuit: true };
  }
  const resolved = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (parent === undefined || !parent.includes(GENERATION_PARAM) || !resolved.url.startsWith('file:') || resolved.url.includes('/node_modules/')) return resolved;
  const generation = new URL(parent).searchParams.get(GENERATION_PARAM);
  if (generation === null) return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set(GENERATION_PARAM, generation);
  port?.postMessage(url.href);
  return { ...resolved, url: url.href };
}
