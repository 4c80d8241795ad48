/**
 * `hise-webview/testing`: a host for UI tests (Vitest, Playwright) that serves the page, sends
 * scripted messages and awaits what the page sends and calls; optionally playing a recording. And
 * accessibility checks: axe-core in the page, and the accessibility tree through Chromium.
 * @packageDocumentation
 */
export { createTestHost, DEFAULT_TEST_TIMEOUT_MS, DEFAULT_MAX_QUEUED, type TestHost, type TestHostOptions, type TestCall } from './test-host.js';
export { TestHostError, type TestHostErrorCode } from './errors.js';
export {
  expectAccessible,
  accessibilityViolations,
  accessibilityTree,
  expectAccessibleNode,
  type AccessiblePage,
  type CdpSession,
  type AccessibleOptions,
  type AccessibilityViolation,
  type AccessibleNode,
  type AccessibleNodeQuery,
} from './accessibility.js';
