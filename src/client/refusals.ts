import { isRefusalCode } from '../protocol/refusal.js';

/** The part of a WebSocket `close` event a refusal is read from. */
export interface CloseLike {
  code?: number;
  reason?: string;
}

/**
 * A client's log of the host's refusals: a close with a code in 4400–4599
 * goes to the page's console as `[hise-webview] <reason>`, once per distinct reason, so a page
 * that keeps retrying (the developer may restart the host with the flag that admits it) does not
 * flood the console. Shared by the drop-in and the modern client.
 */
export function refusalLog(): (event: CloseLike) => void {
  const seen = new Set<string>();
  return ({ code, reason = '' }) => {
    if (isRefusalCode(code) && !seen.has(reason)) {
      seen.add(reason);
      console.error('[hise-webview] ' + reason);
    }
  };
}
