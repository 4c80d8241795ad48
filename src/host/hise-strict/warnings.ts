import type { HostCore } from '../core.js';
import { WebViewError } from '../errors.js';
import { now } from '../observer.js';
import type { Page } from '../pages/page.js';

/**
 * The stable codes of HISE-strict mode's warnings (docs/HISE-STRICT.md has the table): each names
 * one way a page that works here would break inside HISE.
 */
export type HiseWarningCode =
  /** A host→page message whose WebSocket payload is over 125 bytes: HISE writes its extended length little-endian, and the page's socket stalls. */
  | 'HISE_FRAME_TOO_LONG'
  /** A page→host message over 125 bytes: HISE reads its extended length little-endian (a 64-bit one as 0). */
  | 'HISE_PAGE_FRAME_TOO_LONG'
  /** Non-ASCII text: HISE counts characters where it should count bytes, so the page gets it cut short (strict mode cuts it so). */
  | 'HISE_TEXT_CUT'
  /** A non-ASCII id: HISE writes its length in characters, which corrupts the frame inside HISE. */
  | 'HISE_NON_ASCII_ID'
  /** A second message of one id inside one ~5 ms send cycle: HISE sends only the latest (strict mode too). */
  | 'HISE_SAME_CYCLE'
  /** `sendToWebSocket` with an array, number, boolean or other value HISE drops silently (strict mode drops it too). */
  | 'HISE_DATA_DROPPED'
  /** `sendToWebSocket` before `setEnableWebSocket`: HISE sends it nowhere (strict mode drops it too). */
  | 'HISE_SEND_BEFORE_ENABLE'
  /** `sendToWebsocket` (HISE's docs' spelling): HISE registers only `sendToWebSocket`, so the call throws inside HISE. */
  | 'HISE_METHOD_MISSPELLED'
  /** A buffer went to the first open page only, while other pages were open (as HISE sends buffers). */
  | 'HISE_BUFFER_FIRST_PAGE'
  /** A buffer was added or updated while no page was open: HISE sends it to nobody (strict mode too). */
  | 'HISE_BUFFER_NO_PAGE'
  /** `addBufferToWebSocket` with an index over 255: HISE wraps it at 256 (strict mode too). */
  | 'HISE_BUFFER_INDEX_WRAPPED'
  /** `updateBuffer` of an index nothing is registered at: HISE does nothing (strict mode too, no error). */
  | 'HISE_BUFFER_UNKNOWN'
  /** A registered buffer's length changed: HISE's frame length is fixed at registration (strict mode sends that many floats). */
  | 'HISE_BUFFER_LENGTH_FIXED'
  /** A HISE-format page sent text within ~5 ms of a binary message: HISE's parser keeps one buffer per read batch and delivers the text as that buffer. */
  | 'HISE_PARSER_BATCH'
  /** A page opened a WebSocket to the port it was served from (relative, or from `location.port`): HISE's page has no such port; refused. */
  | 'HISE_PAGE_ORIGIN'
  /** A page called a callback bound by an earlier run of the host module: as in HISE after a recompile, it resolves `null`. */
  | 'HISE_STALE_BINDING';

/** One HISE-strict warning: `wv.on('hise-warning', w => …)`. */
export interface HiseWarning {
  readonly code: HiseWarningCode;
  /** The message id (or buffer index, binding name) it is about; undefined when it is about the call itself. */
  readonly id: string | undefined;
  /** What happened, and what HISE would do. */
  readonly message: string;
  /** The page it concerns, when one. */
  readonly page: Page | undefined;
}

/**
 * Raises each warning once per (code, id): as the `hise-warning` event (to `console.warn` when
 * nothing listens) and as an `error` observation, which the inspector and recorders already show.
 */
export class HiseWarnings {
  readonly #core: HostCore;
  readonly #seen = new Set<string>();

  constructor(core: HostCore) {
    this.#core = core;
  }

  /** Warns unless this (code, id) has warned before. @returns whether it warned */
  warn(code: HiseWarningCode, id: string | undefined, message: string, page?: Page): boolean {
    const key = `${code}\0${id ?? ''}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    const warning: HiseWarning = { code, id, message, page };
    if (this.#core.observers.active) this.#core.observers.emit({ type: 'error', time: now(), error: new WebViewError(code, message), page });
    if (this.#core.listens('hise-warning')) this.#core.emit('hise-warning', warning);
    else console.warn(`[hise-webview] ${code}: ${message}`);
    return true;
  }
}

/** How a warning quotes an id: backticks, at most 40 characters. */
export function quoteId(id: string): string {
  return `\`${id.length > 40 ? `${id.slice(0, 39)}…` : id}\``;
}

/** `2065` → `2,065`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
