import type { Connection, Page } from '../host/index.js';
import type { HostFunction } from './host-module.js';
import type { DevLogger } from './log.js';
import { LogThrottle } from './log-throttle.js';
import { preview } from './preview.js';
import { printable } from './printable.js';
import { signalSource, type SignalSpec } from './signals.js';

/** Options of the inspector host. */
export interface InspectorOptions {
  /** Test signals to stream. @default [] */
  signals?: readonly SignalSpec[];
  /** Blocks per second each signal sends. @default 60 */
  rate?: number;
  /** Samples per block. @default 512 */
  blockSize?: number;
  /** Milliseconds during which further messages of one page and id are counted rather than logged. @default 1000 */
  logInterval?: number;
  /** Page/id pairs whose logging is throttled at once; the least recently seen is forgotten first. @default 1024 */
  maxTrackedIds?: number;
}

export const DEFAULT_INSPECTOR_OPTIONS = { rate: 60, blockSize: 512, logInterval: 1000, maxTrackedIds: 1024 } as const;

/**
 * The function HISE's documentation has a page define, for the HISE script to call with the port
 * once everything is loaded (`wv.callFunction("initWebSocket", PORT)`); only then does the page open
 * its `HiseWebSocketServer`. Standing in for that script, the inspector calls it.
 */
export const INIT_FUNCTION = 'initWebSocket';
/** The `evaluate` uid of that call, stored (persistent) so pages that open later get it too. */
const INIT_UID = 'hise-webview:inspector-init';

/**
 * Code calling `initWebSocket(port)` in a page that defines it (as a `window` property or a top-level
 * `const`/`let`/`function` of a classic script: `evaluate` runs in the page's global scope, as HISE's
 * `callFunction` finds it); a page that does not is left alone.
 */
export function initWebSocketCode(port: number): string {
  return `typeof ${INIT_FUNCTION} === 'function' && (${INIT_FUNCTION}(${port}), true)`;
}

/** What a connection of a page is, for the log: the bridge carries no page messages, the clients do. */
export function describeConnection(connection: Connection): string {
  if (connection.bridged) return 'bridge';
  return connection.extended ? 'modern client' : 'HISE client';
}

/**
 * The host that runs when no host module is given: logs what pages send (id and a short preview;
 * a page streaming at audio rate gets one line per id per `logInterval`, with a count of the rest)
 * and streams test signals as `Float32Array` blocks to chosen ids.
 *
 * Everything a page supplies (ids, data, its Origin, error messages quoting them) is printed through
 * {@link printable}: control characters, bidi overrides and line breaks appear as escapes, so a page
 * cannot set the terminal's title or clipboard, nor forge log lines.
 */
export function inspectorHost(log: DevLogger, options: InspectorOptions = {}): HostFunction {
  const rate = options.rate ?? DEFAULT_INSPECTOR_OPTIONS.rate;
  const blockSize = options.blockSize ?? DEFAULT_INSPECTOR_OPTIONS.blockSize;
  const logInterval = options.logInterval ?? DEFAULT_INSPECTOR_OPTIONS.logInterval;
  const maxTrackedIds = options.maxTrackedIds ?? DEFAULT_INSPECTOR_OPTIONS.maxTrackedIds;
  return (wv, { signal }) => {
    const throttle = new LogThrottle(logInterval, maxTrackedIds);
    wv.setWebSocketCallback((data, page, id) => {
      const verdict = throttle.check(page.id, id, Date.now());
      if (!verdict.log) return;
      const skipped = verdict.skippedBefore > 0 ? ` (+${verdict.skippedBefore} more since)` : '';
      log.info(printable(`page ${page.id} ${id === undefined ? '' : `[${id}] `}${preview(data)}${skipped}`));
    });
    // One line per socket: a tab is one page, and its bridge and clients each say when they arrive.
    wv.on('connection', (connection: Connection) =>
      log.info(printable(`page ${connection.page.id} connected: ${describeConnection(connection)} (${connection.origin ?? 'no origin'})`)),
    );
    wv.on('disconnect', (page: Page, code: number) => {
      throttle.forgetPage(page.id);
      log.info(`page ${page.id} disconnected (${code})`);
    });

    if (wv.port !== undefined) void wv.evaluate(INIT_UID, initWebSocketCode(wv.port));

    const streams = (options.signals ?? []).map(({ kind, id }) => ({ id, next: signalSource(kind), block: new Float32Array(blockSize) }));
    if (streams.length === 0) return undefined;
    log.info(`streaming ${(options.signals ?? []).map((s) => `${s.kind} → ${s.id}`).join(', ')} (${blockSize} samples, ${rate} Hz)`);
    const timer = setInterval(() => {
      if (!wv.pages.some((page) => page.dataConnections().length > 0)) return; // nothing held back for a page that is not there (a tab with only its bridge takes no data)
      for (const stream of streams) wv.sendToWebSocket(stream.id, stream.next(stream.block));
    }, 1000 / rate);
    signal.addEventListener('abort', () => clearInterval(timer));
    return () => clearInterval(timer);
  };
}
