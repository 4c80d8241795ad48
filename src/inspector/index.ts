/**
 * `hise-webview/inspector`: a page, served by the host, that shows what crosses the bridge live.
 * @packageDocumentation
 */
export { attachInspector, DEFAULT_INSPECTOR_OPTIONS, type Inspector, type InspectorOptions } from './inspector.js';
export type { InspectorSnapshot, InspectorHistory, PageView, StreamView, FrameView, StreamRun, StoredCallView, CallView, LogEntry, InspectorFunctions } from './snapshot.js';
export type { Preview, ArrayKind } from './summary.js';
