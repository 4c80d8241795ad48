// Chromium's launch flags, written once: the browser tests (test/helpers/chromium.ts), the benchmarks
// (bench/lib/chromium.mjs) and the scripts that drive a browser all import them from here.

/** The Chromium to drive: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Every headless Chromium of the project: no sandbox (containers run as root), no GPU, and nothing
 * that reaches for the network (the machines have only loopback).
 */
export const CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/** A plain child process (no Playwright, which adds its own equivalents): headless, and no first-run UI. */
export const PLAIN_PROCESS_FLAGS = Object.freeze(['--headless=new', '--no-default-browser-check', '--disable-extensions']);

/** Several pages in one browser (fan-out) must not be throttled as background tabs. */
export const NO_BACKGROUND_THROTTLING_FLAGS = Object.freeze([
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
]);

/**
 * Chromium (since 141) blocks a public site's requests to localhost by itself ("Local Network
 * Access"). Other browsers and embedded webviews do not, so the host's own Origin check is what
 * protects users; tests of that check turn Chromium's off to see the host's answer.
 */
export const WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS = Object.freeze(['--disable-features=LocalNetworkAccessChecks']);
