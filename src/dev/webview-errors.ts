import type { Page, WebViewError } from '../host/index.js';
import type { HiseWarning, WebView } from '../host/index.js';
import { reportError } from './error-report.js';
import type { DevLogger } from './log.js';
import { printable } from './printable.js';

/** Codes whose cause is the host module's own code (a handler or listener that threw). */
const HOST_CODE_FAILURES: ReadonlySet<string> = new Set(['CALLBACK_FAILED', 'LISTENER_FAILED']);

/**
 * Logs the WebView's `error` (and HISE-strict `hise-warning`) events while a host module runs: bad input from pages on one line, as
 * the WebView would; a handler or listener of the module that threw with its stack trimmed to the
 * project's files and a code frame, so a runtime error points at its line as a load error does.
 * @returns a function that stops logging
 */
export function logWebViewErrors(webView: WebView, log: DevLogger): () => void {
  const listener = (error: WebViewError, page: Page | undefined): void => {
    // Messages quote what pages sent (ids, text): escaped, so a page cannot write to the terminal.
    const line = printable(`${page === undefined ? '' : `page ${page.id}: `}${error.code}: ${error.message}`);
    if (!HOST_CODE_FAILURES.has(error.code) || error.cause === undefined) {
      log.warn(line);
      return;
    }
    void reportError(error.cause).then(
      (report) => log.error(report.details === undefined ? line : `${line}\n${report.details}`),
      () => log.error(line),
    );
  };
  // HISE-strict mode's warnings: each once, in the terminal (escaped: they quote ids).
  const hiseWarning = (warning: HiseWarning): void => log.warn(printable(`${warning.code}: ${warning.message}`));
  webView.on('error', listener);
  webView.on('hise-warning', hiseWarning);
  return () => {
    webView.off('error', listener);
    webView.off('hise-warning', hiseWarning);
  };
}
