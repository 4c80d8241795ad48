/**
 * `hise-webview/client/scopes`: reference components drawn from a stream (oscilloscope, spectrum,
 * peak/RMS meter), WebGL2 with a 2D-canvas fallback. On the main thread with `connect()`:
 * `mountComponent('oscilloscope', canvas, client, { id: 'scope' })`; off it with the worker client:
 * `client.mount(canvas, 'oscilloscope', { id: 'scope' })`.
 * @packageDocumentation
 */
export { mountComponent, type Component, type ComponentKind, type ComponentOptions, type FrameSource } from './components.js';
export { SpectrumAnalyser } from './spectrum.js';
export type { AnyCanvas } from './surface.js';
