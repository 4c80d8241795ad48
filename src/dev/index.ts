/**
 * The development layer shared by the CLI and the Vite plugin: run a host module beside a WebView,
 * restart it on change, serve and watch a webview root. Node only; no DOM.
 * @packageDocumentation
 */
export { startDevHost, type DevHost, type DevHostOptions } from './dev-host.js';
export { DevError, type DevErrorCode } from './errors.js';
export type { HostCleanup, HostContext, HostFunction } from './host-module.js';
export { inspectorHost, type InspectorOptions } from './inspector.js';
export { consoleLogger, type DevLogger } from './log.js';
export { parseSignal, SIGNAL_KINDS, type SignalKind, type SignalSpec } from './signals.js';
