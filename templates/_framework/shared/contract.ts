import type { Contract } from 'hise-webview';

/**
 * What the host and the page say to each other, written once and checked on both sides: the host
 * is `WebView<App>`, the page's hooks are `createHooks<App>()` (webview/hise.ts).
 */
export interface App extends Contract {
  /** Host → page, by id: `wv.send('level', …)`; the page's meter draws it. */
  events: {
    /** Peak level of each of the last blocks, 0–1. */
    level: Float32Array;
  };
  /** Functions the host offers: `client.call('reset')`, `useCall('reset')`. */
  host: {
    /** Sets every parameter to its default; returns what it did, for the page's status line. */
    reset(): string;
  };
  /** The host's parameters (`wv.parameter`): a knob and a slider in the page. */
  params: {
    gain: number;
    mix: number;
  };
}
