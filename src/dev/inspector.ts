import type { Page } from '../host/index.js';
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
    wv.on('connect', (page: Page) => log.info(printable(`page ${page.id} connected (${page.origin ?? 'no origin'})`)));
    wv.on('disconnect', (page: Page, code: number) => {
      throttle.forgetPage(page.id);
      log.info(`page ${page.id} disconnected (${code})`);
    });
    wv.on('error', (error, page) => log.warn(printable(`${page === undefined ? '' : `page ${page.id}: `}${error.code}: ${error.message}`)));

    const streams = (options.signals ?? []).map(({ kind, id }) => ({ id, next: signalSource(kind), block: new Float32Array(blockSize) }));
    if (streams.length === 0) return undefined;
    log.info(`streaming ${(options.signals ?? []).map((s) => `${s.kind} → ${s.id}`).join(', ')} (${blockSize} samples, ${rate} Hz)`);
    const timer = setInterval(() => {
      if (wv.pages.length === 0) return; // nothing held back for a page that is not there
      for (const stream of streams) wv.sendToWebsocket(stream.id, stream.next(stream.block));
    }, 1000 / rate);
    signal.addEventListener('abort', () => clearInterval(timer));
    return () => clearInterval(timer);
  };
}
