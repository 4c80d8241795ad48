// The messages between the page's main thread and the worker client's Worker (an internal interface, not a wire format).
import type { MessageMeta } from '../modern/types.js';
import type { SubscribeOptions } from '../modern/subscription-book.js';

/** Main thread → worker. */
export type ToWorker =
  /** Open the socket `n` (the main thread's transport made it): `url` as the main client built it, `protocols` as it offered. */
  | { t: 'open'; n: number; url: string; protocols: string[] | undefined; ownedFrames: boolean; freshStreams: boolean; exactBuffers: boolean }
  /** Write to socket `n`. */
  | { t: 'send'; n: number; data: string | ArrayBuffer }
  | { t: 'close'; n: number; code: number | undefined }
  /** The page's visibility (`visibilitychange`). */
  | { t: 'visible'; visible: boolean }
  /** Stream ids whose frames the main thread wants too (`all`: every id). */
  | { t: 'want'; ids: string[]; all: boolean }
  | { t: 'subscribe'; ids: string[] | undefined; options: SubscribeOptions | undefined }
  | { t: 'unsubscribe'; ids: string[] | undefined }
  /** Load a module into the worker (`streamsToWorker`) with the canvases given to it; answered by `loaded`. */
  | { t: 'load'; k: number; url: string; canvases: Record<string, OffscreenCanvas>; options: unknown }
  /** A reference component (`mount`): drawn in the worker on `canvas`. */
  | { t: 'mount'; k: number; kind: string; canvas: OffscreenCanvas; options: unknown }
  | { t: 'unmount'; k: number }
  /** A ring of the newest frames of `id` (cross-origin isolated pages only). */
  | { t: 'ring'; id: string; buffer: SharedArrayBuffer };

/** Worker → main thread. */
export type FromWorker =
  | { t: 'opened'; n: number; protocol: string }
  | { t: 'message'; n: number; data: ArrayBuffer }
  | { t: 'closed'; n: number; code: number; reason: string; wasClean: boolean }
  /** A stream frame for the main thread's listeners. */
  | { t: 'stream'; id: string; data: unknown; meta: MessageMeta }
  /** The host clock's offset from the page clock (`performance.timeOrigin + now()`), after a TimeSync. */
  | { t: 'clock'; offset: number }
  | { t: 'loaded'; k: number; error: string | undefined }
  /** A message a loaded module posted (`context.post`). */
  | { t: 'post'; data: unknown }
  /** An error in the worker, for the page's console. */
  | { t: 'error'; message: string };
