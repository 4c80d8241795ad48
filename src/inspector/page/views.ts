import type { CallView, GestureView, InspectorSnapshot, PageView, ParameterView, StoredCallView, StreamView } from '../snapshot.js';
import { formatBytes, formatRate, formatTime, h, KeyedRows, type Cell } from './dom.js';
import { renderPreview } from './preview.js';

/** Which JSON tree nodes the user opened, kept across snapshots. */
const openNodes = new Set<string>();

const num = (text: string, extra = ''): Cell => ({ text, class: `num${extra}` });
const preview = (value: StreamView['preview'], key: string): Cell => ({ node: () => renderPreview(value, key, openNodes), signature: JSON.stringify(value) });

export function pageRows(body: HTMLElement, now: () => number): KeyedRows<PageView> {
  return new KeyedRows<PageView>(
    body,
    (page) => String(page.id),
    (page) => ({ 'data-page': String(page.id) }),
    (page) => [
      { text: String(page.id) },
      { text: page.kind === 'modern' ? 'modern' : page.kind === 'hise' ? "HISE's format" : 'bridge only' },
      { text: page.origin, title: page.origin },
      { text: page.path },
      num(String(page.connections)),
      num(page.connectedAt === undefined ? 'before inspector' : `${Math.round((now() - page.connectedAt) / 1000)} s`),
      num(formatBytes(page.bufferedBytes)),
      { text: page.congested ? 'congested' : 'ok', class: page.congested ? 'bad' : 'ok' },
      num(String(page.framesSent)),
      num(String(page.framesCoalesced)),
    ],
  );
}

export function streamRows(body: HTMLElement): KeyedRows<StreamView> {
  return new KeyedRows<StreamView>(
    body,
    (stream) => `${stream.direction}:${stream.id}`,
    (stream) => ({ 'data-stream': stream.id, 'data-direction': stream.direction }),
    (stream) => [
      { text: stream.direction === 'out' ? '→' : '←' },
      { text: stream.id, title: stream.id },
      { text: stream.type },
      num(String(stream.size)),
      num(formatRate(stream.messagesPerSecond)),
      num(`${stream.bytesEstimated ? '~' : ''}${formatBytes(stream.bytesPerSecond)}/s`),
      num(String(stream.messages)),
      num(String(stream.dropped), stream.dropped > 0 ? ' bad' : ''),
      num(String(stream.queued)),
      preview(stream.preview, `${stream.direction}:${stream.id}`),
    ],
  );
}

export function callRows(body: HTMLElement): KeyedRows<CallView> {
  return new KeyedRows<CallView>(
    body,
    (call) => String(call.call),
    (call) => ({ 'data-call': call.name }),
    (call) => [
      { text: formatTime(call.time) },
      { text: call.direction === 'host-to-page' ? 'host → page' : call.direction === 'page-to-host' ? 'page → host' : 'inspector' },
      { text: call.kind },
      { text: `${call.name}(${call.args})`, title: `${call.name}(${call.args})` },
      num(call.page === undefined ? '' : String(call.page)),
      num(call.duration === undefined ? '…' : `${call.duration.toFixed(1)} ms`),
      {
        text: call.ok === undefined ? 'pending' : call.ok ? (call.result ?? '') : `${call.errorCode ?? ''} ${call.result ?? ''}`,
        class: call.ok === undefined ? 'dim' : call.ok ? 'ok' : 'bad',
        title: call.result ?? '',
      },
    ],
  );
}

type Retained = InspectorSnapshot['retained'][number];

export function storedRows(body: HTMLElement): KeyedRows<StoredCallView> {
  return new KeyedRows<StoredCallView>(
    body,
    (stored) => `${stored.kind}:${stored.key}`,
    (stored) => ({ 'data-stored': stored.key }),
    (stored) => [{ text: stored.kind }, { text: stored.key, title: stored.key }, { text: stored.call, title: stored.call }],
  );
}

export function retainedRows(body: HTMLElement): KeyedRows<Retained> {
  return new KeyedRows<Retained>(
    body,
    (item) => item.id,
    (item) => ({ 'data-retained': item.id }),
    (item) => [{ text: item.id }, { text: item.type }, preview(item.preview, `retained:${item.id}`)],
  );
}

export function parameterRows(body: HTMLElement): KeyedRows<ParameterView> {
  return new KeyedRows<ParameterView>(
    body,
    (parameter) => parameter.id,
    (parameter) => ({ 'data-parameter': parameter.id }),
    (parameter) => [
      { text: parameter.id, title: parameter.id },
      { text: parameter.spec, title: parameter.spec },
      { text: JSON.stringify(parameter.value), class: 'num value' },
      { text: parameter.text, class: 'text' },
      { text: parameter.source === 'page' && parameter.page !== undefined ? `page ${parameter.page}` : parameter.source },
      num(String(parameter.changes)),
      { node: () => gestureTimeline(parameter.gestures), signature: JSON.stringify(parameter.gestures), class: 'timeline' },
    ],
  );
}

/** A parameter's newest gestures, one line each: `page 2 · from 0.5 → 0.6 → 0.7 · end → 0.7 (end)`. */
function gestureTimeline(gestures: readonly GestureView[]): Node {
  if (gestures.length === 0) return h('span', { class: 'dim' }, 'no gestures');
  return h(
    'ol',
    { class: 'gestures' },
    ...[...gestures].reverse().map((gesture) => {
      const shown = gesture.values.map((value) => JSON.stringify(value));
      const hidden = gesture.changes - gesture.values.length;
      const changes = `${hidden > 0 ? `… ${hidden} more → ` : ''}${shown.join(' → ')}`;
      const end =
        gesture.end === undefined
          ? h('span', { class: 'warn' }, 'open')
          : h('span', { class: gesture.reason === 'disconnect' ? 'bad' : 'ok' }, `end ${JSON.stringify(gesture.from)} → ${JSON.stringify(gesture.to)} (${gesture.reason ?? ''})`);
      const attributes: Record<string, string> = { class: 'gesture', 'data-page': String(gesture.page), 'data-from': JSON.stringify(gesture.from), 'data-changes': String(gesture.changes) };
      if (gesture.end !== undefined) Object.assign(attributes, { 'data-to': JSON.stringify(gesture.to), 'data-reason': gesture.reason ?? '' });
      return h(
        'li',
        attributes,
        h('span', { class: 'dim' }, `${gesture.start === undefined ? 'before' : formatTime(gesture.start)} page ${gesture.page} · `),
        `start ${JSON.stringify(gesture.from)}${changes === '' ? '' : ` → ${changes}`} · `,
        end,
      );
    }),
  );
}
