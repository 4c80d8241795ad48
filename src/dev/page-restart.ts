import type { WebView } from '../host/index.js';
import { BridgeCall, HostRestartPhase, type HostRestartAnswer } from '../protocol/index.js';

/** How the pages took the end of a host-module restart. */
export interface PageRestartCount {
  /** Pages reloading into the new module (the default). */
  reloaded: number;
  /** Pages that opted in to stay open (`window.__HISE_WEBVIEW_KEEP_ALIVE__`). */
  kept: number;
}

/**
 * Tells every page with the bridge that the host module is about to restart: a page that will
 * reload stops running the host's direct calls until then, so the new module's setup (e.g. HISE's
 * `callFunction('initWebSocket', port)`) does not act on a page that is about to go. Frames to a
 * page keep their order, so nothing needs to be awaited before the restart goes on.
 */
export function announceRestart(webView: WebView): void {
  for (const page of webView.pages) {
    if (page.bridged) void webView.call(page, BridgeCall.HostRestart, HostRestartPhase.Begin).catch(() => undefined);
  }
}

/**
 * Tells every page with the bridge that the new host module has set up: pages reload (and start as
 * a fresh load would: the new bindings, the new persistent calls replayed, their sockets opened
 * once), except those that opted in to stay. Resolves once each page has answered (or gone).
 */
export async function finishRestart(webView: WebView): Promise<PageRestartCount> {
  const bridged = webView.pages.filter((page) => page.bridged);
  const answers = await Promise.allSettled(bridged.map((page) => webView.call(page, BridgeCall.HostRestart, HostRestartPhase.End)));
  const count: PageRestartCount = { reloaded: 0, kept: 0 };
  for (const answer of answers) {
    if (answer.status !== 'fulfilled') continue; // the page went away meanwhile
    if ((answer.value as HostRestartAnswer) === 'keep') count.kept++;
    else count.reloaded++;
  }
  return count;
}

/** `reloading 2 pages, kept 1` for the log. */
export function describeRestartCount({ reloaded, kept }: PageRestartCount): string {
  const reloading = `reloading ${reloaded} page${reloaded === 1 ? '' : 's'}`;
  return kept === 0 ? reloading : `${reloading}, kept ${kept} open`;
}
