/**
 * `hise-webview/testing`: a host for UI tests (Vitest, Playwright) that serves the page, sends
 * scripted messages and awaits what the page sends and calls; optionally playing a recording.
 * @packageDocumentation
 */
export { createTestHost, DEFAULT_TEST_TIMEOUT_MS, DEFAULT_MAX_QUEUED, type TestHost, type TestHostOptions, type TestCall } from './test-host.js';
export { TestHostError, type TestHostErrorCode } from './errors.js';
