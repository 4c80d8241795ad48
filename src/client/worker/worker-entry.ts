/**
 * The worker client's worker (`hise-webview-worker.js`, a module worker): a {@link WorkerLink}
 * for the socket and streams, and the modules and components the page puts here.
 */
import { mountComponent, type Component } from '../scopes/components.js';
import type { FromWorker, ToWorker } from './messages.js';
import { WorkerLink } from './worker-link.js';
import type { WorkerContext } from './worker-context.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const link = new WorkerLink(post);
const components = new Map<number, Component>();

function context(canvases: Record<string, OffscreenCanvas>, options: unknown): WorkerContext {
  return {
    on: (id, listener) => link.on(id, listener as never),
    subscribe: (ids, subscribeOptions) => link.subscribe(ids, subscribeOptions),
    unsubscribe: (ids) => link.unsubscribe(ids),
    hostTime: () => link.hostTime(),
    mount: (kind, canvas, componentOptions) => mountComponent(kind, canvas, { on: (id, listener) => link.on(id, listener as never) }, componentOptions),
    post: (data, transfer = []) => post({ t: 'post', data }, transfer),
    canvases,
    options,
  };
}

async function load(message: Extract<ToWorker, { t: 'load' }>): Promise<void> {
  try {
    const module = (await import(/* @vite-ignore */ message.url)) as { default?: unknown };
    if (typeof module.default !== 'function') throw new TypeError(`${message.url} has no default export function(context)`);
    await (module.default as (context: WorkerContext) => unknown)(context(message.canvases, message.options));
    post({ t: 'loaded', k: message.k, error: undefined });
  } catch (error) {
    post({ t: 'loaded', k: message.k, error: String((error as Error)?.message ?? error) });
  }
}

scope.onmessage = ({ data }) => {
  if (data.t === 'load') void load(data);
  else if (data.t === 'mount') {
    try {
      components.set(data.k, mountComponent(data.kind as never, data.canvas, { on: (id, listener) => link.on(id, listener as never) }, data.options as never));
    } catch (error) {
      post({ t: 'error', message: String((error as Error)?.message ?? error) });
    }
  } else if (data.t === 'unmount') {
    components.get(data.k)?.dispose();
    components.delete(data.k);
  } else link.handle(data);
};
