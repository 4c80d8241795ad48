import type { CallView, InspectorSnapshot, LogEntry, PageView, StreamView } from '../snapshot.js';
import { formatBytes, formatRate, formatTime, h, replace } from './dom.js';
import { renderPreview } from './preview.js';

/** Which JSON tree nodes the user opened, kept across snapshots. */
const openNodes = new Set<string>();

export function renderPages(body: HTMLElement, pages: readonly PageView[], now: number): void {
  replace(
    body,
    ...pages.map((page) =>
      h(
        'tr',
        { 'data-page': String(page.id) },
        h('td', {}, String(page.id)),
        h('td', {}, page.kind === 'modern' ? 'modern' : page.kind === 'hise' ? "HISE's format" : 'bridge only'),
        h('td', { title: page.origin }, page.origin),
        h('td', {}, page.path),
        h('td', { class: 'num' }, String(page.connections)),
        h('td', { class: 'num' }, page.connectedAt === undefined ? 'before' : `${Math.round((now - page.connectedAt) / 1000)} s`),
        h('td', { class: 'num' }, formatBytes(page.bufferedBytes)),
        h('td', { class: page.congested ? 'bad' : 'ok' }, page.congested ? 'congested' : 'ok'),
        h('td', { class: 'num' }, String(page.framesSent)),
        h('td', { class: 'num' }, String(page.framesCoalesced)),
      ),
    ),
  );
}

export function renderStreams(body: HTMLElement, streams: readonly StreamView[]): void {
  replace(
    body,
    ...streams.map((stream) => {
      const key = `${stream.direction}:${stream.id}`;
      return h(
        'tr',
        { 'data-stream': stream.id, 'data-direction': stream.direction },
        h('td', {}, stream.direction === 'out' ? '→' : '←'),
        h('td', { title: stream.id }, stream.id),
        h('td', {}, stream.type),
        h('td', { class: 'num' }, String(stream.size)),
        h('td', { class: 'num', 'data-rate': '' }, formatRate(stream.messagesPerSecond)),
        h('td', { class: 'num' }, `${stream.bytesEstimated ? '~' : ''}${formatBytes(stream.bytesPerSecond)}/s`),
        h('td', { class: 'num' }, String(stream.messages)),
        h('td', { class: stream.dropped > 0 ? 'num bad' : 'num' }, String(stream.dropped)),
        h('td', { class: 'num' }, String(stream.queued)),
        h('td', {}, renderPreview(stream.preview, key, openNodes)),
      );
    }),
  );
}

export function renderCalls(body: HTMLElement, calls: readonly CallView[]): void {
  replace(
    body,
    ...[...calls].reverse().map((call) =>
      h(
        'tr',
        { 'data-call': call.name },
        h('td', {}, formatTime(call.time)),
        h('td', {}, call.direction === 'host-to-page' ? 'host → page' : call.direction === 'page-to-host' ? 'page → host' : 'inspector'),
        h('td', {}, call.kind),
        h('td', { title: `${call.name}(${call.args})` }, `${call.name}(${call.args})`),
        h('td', { class: 'num' }, call.page === undefined ? '' : String(call.page)),
        h('td', { class: 'num', 'data-duration': '' }, call.duration === undefined ? '…' : `${call.duration.toFixed(1)} ms`),
        h(
          'td',
          { class: call.ok === undefined ? 'dim' : call.ok ? 'ok' : 'bad', title: call.result ?? '' },
          call.ok === undefined ? 'pending' : call.ok ? call.result : `${call.errorCode ?? ''} ${call.result ?? ''}`,
        ),
      ),
    ),
  );
}

export function renderRetained(body: HTMLElement, retained: InspectorSnapshot['retained']): void {
  replace(
    body,
    ...retained.map((item) =>
      h('tr', { 'data-retained': item.id }, h('td', {}, item.id), h('td', {}, item.type), h('td', {}, renderPreview(item.preview, `retained:${item.id}`, openNodes))),
    ),
  );
}

/** One log row; a gap marker when entries were lost between two snapshots. */
export function logRow(entry: LogEntry | { gap: number }): HTMLElement {
  if ('gap' in entry) return h('tr', {}, h('td', { class: 'warn', colspan: '6' }, `… ${entry.gap} entries not shown (the inspector fell behind)`));
  const direction = entry.direction === 'out' ? '→' : entry.direction === 'in' ? '←' : '•';
  return h(
    'tr',
    { 'data-log-id': entry.id },
    h('td', { class: 'dim' }, formatTime(entry.time)),
    h('td', {}, direction),
    h('td', { title: entry.id, class: entry.id === 'error' && entry.direction === 'event' ? 'bad' : '' }, entry.id),
    h('td', { class: 'num' }, entry.page === undefined ? 'all' : String(entry.page)),
    h('td', { title: entry.text }, entry.text),
    h('td', { class: entry.result === 'dropped' ? 'bad' : 'dim' }, entry.result ?? ''),
  );
}
