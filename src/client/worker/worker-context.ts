import type { SubscribeOptions } from '../modern/subscription-book.js';
import type { MessageMeta } from '../modern/types.js';
import type { Component, ComponentKind, ComponentOptions } from '../scopes/components.js';

/** What a module loaded with `client.streamsToWorker(url)` gets: its default export is called with it, in the worker. */
export interface WorkerContext {
  /** Listens to stream `id` here, in the worker (typed arrays owning their buffers). Returns a function that removes it. */
  on(id: string, listener: (data: unknown, meta: MessageMeta) => void): () => void;
  /** As the client's `subscribe`. */
  subscribe(ids?: string | readonly string[], options?: SubscribeOptions): void;
  unsubscribe(ids?: string | readonly string[]): void;
  /** The host's clock now (ms), once estimated. */
  hostTime(): number | undefined;
  /** Draws a reference component on a canvas of this worker (e.g. one of {@link canvases}). */
  mount(kind: ComponentKind, canvas: OffscreenCanvas, options: ComponentOptions): Component;
  /** Posts to the page's `client.onWorkerMessage` listeners. */
  post(data: unknown, transfer?: Transferable[]): void;
  /** The canvases given to `streamsToWorker`, transferred here, by name. */
  readonly canvases: Record<string, OffscreenCanvas>;
  /** The `options` given to `streamsToWorker`. */
  readonly options: unknown;
}
