/**
 * `hise-webview/vite`: a Vite plugin that runs a HISE webview host beside Vite's dev server and
 * gives the page the same bridge as when the host serves it.
 * @packageDocumentation
 */
export { hiseWebview, type HiseWebviewPluginOptions } from './plugin.js';
