/**
 * `hise-webview/client/worker`: the worker client. `connectWorker()` runs the socket, stream
 * decoding, flow control and stream delivery in a dedicated Worker; messages, calls and parameters
 * keep `connect()`'s API on the main thread. A separate entry: pages that use `connect()` load none of it.
 * @packageDocumentation
 */
export { connectWorker, WorkerClient, type WorkerConnectOptions } from './worker-client.js';
export type { WorkerContext } from './worker-context.js';
export { StreamRing } from './rings.js';
export { mountComponent, type Component, type ComponentKind, type ComponentOptions, type FrameSource } from '../scopes/components.js';
