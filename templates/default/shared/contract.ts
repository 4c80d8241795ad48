import type { Contract } from 'hise-webview';

/**
 * What the host and the page say to each other, written once and checked on both sides: the host
 * is `WebView<App>`, the page's script checks against it (webview/globals.d.ts), and so does a
 * modern client, `connect<App>()`.
 */
export interface App extends Contract {
  /** Host → page, by id: `wv.send(id, data)`; the page's `server.addEventListener((id, data) => …)`. */
  events: {
    /** Peak level of each of the last blocks, 0–1. */
    level: Float32Array;
    /** A line for the page's status bar. */
    status: string;
  };
  /** Functions the host offers: a bound callback `window.setGain(db)` in the page (HISE's `bindCallback`), `client.call('setGain', db)` in a modern client. */
  host: {
    /** Sets the gain in dB (clamped to {@link GAIN_RANGE}) and returns what was set. */
    setGain(db: number): number;
  };
}

/** The gain range in dB, shared by the host and the page's slider. */
export const GAIN_RANGE = { min: -60, max: 0, initial: -12 } as const;
