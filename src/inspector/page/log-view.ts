import { LOG_ENTRIES_PER_FILL, type FrameView, type InspectorHistory, type InspectorSnapshot, type LogEntry, type StreamView } from '../snapshot.js';
import { formatBytes, formatRate, formatTime, h, KeyedRows, type Cell } from './dom.js';
import { renderPreview } from './preview.js';
import { RUN_GAP } from '../streams.js';

/** Entries the page keeps at least (it keeps the host's `logSize` when that is more). */
const LOG_KEPT = 2000;
/** Rows drawn at first (the newest that pass the filters); "older" adds as many again. */
const LOG_SHOWN = 500;
/** Pixels from the bottom within which the log counts as scrolled to its end. */
const FOLLOW_SLACK = 24;

/** A row of the log: an entry, a frame of an expanded rate line, or a note of entries not here. */
type Row =
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  | { readonly kind: 'frame'; readonly run: LogEntry; readonly frame: FrameView; readonly index: number; readonly gap: number | undefined }
  | { readonly kind: 'gap'; readonly seq: number; readonly count: number }
  | { readonly kind: 'forgotten'; readonly count: number };

/** A stream run's counters as the page last saw them (the host's entry is not sent again once it is old). */
interface RunState {
  frames: number;
  bytes: number;
}

/**
 * The message log: the history the host sends when the page connects, then every snapshot's
 * newest entries, merged by `seq` (nothing twice, nothing lost between them: entries a slow page
 * missed, its snapshots coalesced, are fetched with `fill`). A stream's frames are one rate line
 * per run, expanded on demand into its newest frames. The bridge's own traffic is hidden unless
 * `showInternal()`.
 */
export function createLogView(showInternal: () => boolean, fill: (after: number) => Promise<InspectorHistory>): {
  readonly element: HTMLElement;
  history(history: InspectorHistory): void;
  merge(snapshot: InspectorSnapshot): void;
  draw(snapshot: InspectorSnapshot | undefined): void;
} {
  let entries: LogEntry[] = [];
  const seqs = new Set<number>();
  const runs = new Map<number, RunState>();
  const expanded = new Set<number>();
  let epoch: string | undefined;
  let kept = LOG_KEPT;
  let forgotten: { first: number; count: number } | undefined;
  /** Entries up to this seq were cleared by the user: a later snapshot or history does not bring them back. */
  let cleared = 0;
  let paused = false;
  let streams = new Map<string, StreamView>();
  /** The newest snapshot's time (the host's clock, as the entries' times). */
  let now = 0;

  const body = h('tbody', { id: 'log-rows' });
  const scroll = h('div', { id: 'log-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ...['time', '', 'id', 'page', 'data', 'result'].map((t) => h('th', {}, t)))), body));
  const idFilter = h('input', { id: 'log-id', placeholder: 'filter by id', size: '16' });
  const pageFilter = h('select', { id: 'log-page' }, h('option', { value: '' }, 'every page'));
  const pause = h('button', { id: 'log-pause', type: 'button' }, 'pause');
  const clear = h('button', { id: 'log-clear', type: 'button' }, 'clear');
  const count = h('span', { id: 'log-count', class: 'dim' });
  const older = h('button', { id: 'log-older', type: 'button', title: 'show older entries' }, 'older');
  let limit = LOG_SHOWN;
  /** The first row shown while the user reads above the newest: new entries do not shift it away. */
  let anchor: string | undefined;
  const rows = new KeyedRows<Row>(body, rowKey, rowAttributes, (row) => rowCells(row, streams, runs, expanded, now));

  const toEpoch = (next: string): void => {
    if (epoch === next) return;
    // Another aggregator (a host started again): its seqs count from 1 again.
    epoch = next;
    entries = [];
    seqs.clear();
    runs.clear();
    forgotten = undefined;
    cleared = 0;
  };
  const add = (log: readonly LogEntry[]): void => {
    const last = entries.at(-1)?.seq ?? 0;
    const fresh = log.filter((entry) => entry.seq > cleared && !seqs.has(entry.seq));
    if (fresh.length === 0) return;
    for (const entry of fresh) seqs.add(entry.seq);
    entries.push(...fresh);
    if (fresh[0]!.seq < last) entries.sort((a, b) => a.seq - b.seq); // the history arrived after a snapshot
    if (entries.length <= kept) return;
    for (const entry of entries.splice(0, entries.length - kept)) seqs.delete(entry.seq);
    const oldest = entries[0]!.seq;
    for (const seq of runs.keys()) if (seq < oldest) runs.delete(seq);
  };
  let filling = false;
  const fillAfter = (after: number): void => {
    if (filling) return;
    filling = true;
    const asked = epoch;
    fill(after).then(
      (found) => {
        filling = false;
        if (found.epoch !== asked || epoch !== asked) return;
        add(found.log);
        redraw();
        if (found.log.length >= LOG_ENTRIES_PER_FILL) fillAfter(found.log.at(-1)!.seq);
      },
      () => {
        filling = false; // the gap stays marked
      },
    );
  };
  let drawn: InspectorSnapshot | undefined;
  const redraw = (): void => draw(drawn);

  body.addEventListener('click', (event) => {
    const button = (event.target as Element).closest('button.expand');
    if (button === null) return;
    const seq = Number(button.getAttribute('data-seq'));
    if (!expanded.delete(seq)) expanded.add(seq);
    redraw();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'resume' : 'pause';
    redraw();
  });
  clear.addEventListener('click', () => {
    cleared = Math.max(cleared, entries.at(-1)?.seq ?? 0);
    entries = [];
    seqs.clear();
    forgotten = undefined;
    redraw();
  });
  older.addEventListener('click', () => {
    limit += LOG_SHOWN;
    anchor = undefined;
    redraw();
    scroll.scrollTop = 0;
  });
  idFilter.addEventListener('input', redraw);
  pageFilter.addEventListener('change', redraw);

  function draw(snapshot: InspectorSnapshot | undefined): void {
    drawn = snapshot;
    if (snapshot !== undefined) {
      updatePageFilter(pageFilter, snapshot);
      streams = new Map(snapshot.streams.map((stream) => [`${stream.direction}:${stream.id}`, stream]));
      now = snapshot.time;
      for (const stream of snapshot.streams) if (stream.run !== undefined) runs.set(stream.run.seq, { frames: stream.run.frames, bytes: stream.run.bytes });
    }
    if (paused) {
      count.textContent = `paused (${entries.length} kept)`;
      return;
    }
    const id = idFilter.value.trim();
    const page = pageFilter.value;
    const internal = showInternal();
    const all: Row[] = [];
    let hidden = 0;
    let shown = 0;
    if (forgotten !== undefined && forgotten.count > 0 && entries[0]?.seq === forgotten.first) all.push({ kind: 'forgotten', count: forgotten.count });
    let previous: number | undefined;
    for (const entry of entries) {
      if (previous !== undefined && entry.seq > previous + 1) {
        const before = all.at(-1);
        const missing = entry.seq - previous - 1;
        // Gaps with nothing shown between them (a filter hides it) are one note.
        if (before?.kind === 'gap') all[all.length - 1] = { kind: 'gap', seq: before.seq, count: before.count + missing };
        else all.push({ kind: 'gap', seq: entry.seq, count: missing });
      }
      previous = entry.seq;
      if (entry.internal === true && !internal) {
        hidden++;
        continue;
      }
      if ((id !== '' && !entry.id.includes(id)) || (page !== '' && entry.page !== undefined && String(entry.page) !== page)) continue;
      shown++;
      all.push({ kind: 'entry', entry });
      if (entry.stream !== undefined && expanded.has(entry.seq)) all.push(...frameRows(entry, streams));
    }
    // Follows the newest entries while scrolled to the bottom; left alone while the user reads above.
    const following = scroll.scrollTop + scroll.clientHeight >= scroll.scrollHeight - FOLLOW_SLACK;
    const from = anchoredStart(all, following ? undefined : anchor, limit);
    const shownRows = all.slice(from, from + limit);
    anchor = shownRows.length > 0 ? rowKey(shownRows[0]!) : undefined;
    rows.update(shownRows);
    older.hidden = from === 0;
    older.textContent = `older (${from})`;
    count.textContent = `${shown} of ${entries.length}${hidden > 0 ? ` (${hidden} of the bridge's own hidden)` : ''}`;
    if (following) scroll.scrollTop = scroll.scrollHeight;
  }

  return {
    element: h('div', {}, h('div', { class: 'toolbar' }, idFilter, pageFilter, pause, clear, older, count), scroll),
    history(history) {
      toEpoch(history.epoch);
      kept = Math.max(LOG_KEPT, history.logSize);
      forgotten = history.log.length > 0 ? { first: history.log[0]!.seq, count: history.forgotten } : undefined;
      add(history.log);
    },
    merge(snapshot) {
      toEpoch(snapshot.epoch);
      const last = Math.max(entries.at(-1)?.seq ?? 0, cleared);
      const first = snapshot.log.find((entry) => entry.seq > last)?.seq;
      add(snapshot.log);
      if (last > 0 && first !== undefined && first > last + 1) fillAfter(last);
    },
    draw,
  };
}

/** Where the rows shown start: the newest `limit`, or from the anchored row while the user reads above them. */
function anchoredStart(all: readonly Row[], anchor: string | undefined, limit: number): number {
  const newest = Math.max(0, all.length - limit);
  if (anchor === undefined) return newest;
  const at = all.findIndex((row) => rowKey(row) === anchor);
  return at === -1 ? newest : Math.min(at, newest);
}

/** The newest frames of an expanded run (those the host still lists for its stream). */
function frameRows(run: LogEntry, streams: ReadonlyMap<string, StreamView>): Row[] {
  const stream = streams.get(`${run.direction}:${run.id}`);
  if (stream === undefined || stream.run?.seq !== run.seq) return [];
  return stream.recent
    .filter((frame) => frame.time >= run.time)
    .map((frame, index, list) => ({ kind: 'frame', run, frame, index, gap: index === 0 ? undefined : frame.time - list[index - 1]!.time }));
}

function rowKey(row: Row): string {
  switch (row.kind) {
    case 'entry':
      return String(row.entry.seq);
    case 'frame':
      return `f${row.run.seq}:${row.index}:${row.frame.time}`;
    case 'gap':
      return `g${row.seq}`;
    case 'forgotten':
      return 'forgotten';
  }
}

function rowAttributes(row: Row): Record<string, string> {
  switch (row.kind) {
    case 'entry':
      return { 'data-log-id': row.entry.id, ...(row.entry.stream === undefined ? {} : { class: 'rate-line' }), ...(row.entry.internal === true ? { 'data-internal': '' } : {}) };
    case 'frame':
      return { 'data-log-id': row.run.id, class: 'frame-row' };
    default:
      return { class: 'note' };
  }
}

function rowCells(row: Row, streams: ReadonlyMap<string, StreamView>, runs: ReadonlyMap<number, RunState>, expanded: ReadonlySet<number>, now: number): Cell[] {
  switch (row.kind) {
    case 'gap':
      return [empty, empty, empty, empty, { text: `… ${row.count} entries not shown (the inspector fell behind)`, class: 'warn' }, empty];
    case 'forgotten':
      return [empty, empty, empty, empty, { text: `… ${row.count} earlier entries were not kept (logSize, logBytes)`, class: 'dim' }, empty];
    case 'frame':
      return [
        { text: formatTime(row.frame.time), class: 'dim' },
        empty,
        { text: row.run.id, class: 'dim' },
        empty,
        { text: `frame · ${formatBytes(row.frame.bytes)}${row.gap === undefined ? '' : ` · +${row.gap.toFixed(1)} ms`}`, class: 'dim' },
        { text: row.frame.result ?? '', class: row.frame.result === 'dropped' ? 'bad' : 'dim' },
      ];
    case 'entry':
      return entryCells(row.entry, streams, runs, expanded, now);
  }
}

const empty: Cell = { text: '' };

function entryCells(entry: LogEntry, streams: ReadonlyMap<string, StreamView>, runs: ReadonlyMap<number, RunState>, expanded: ReadonlySet<number>, now: number): Cell[] {
  const arrow = entry.direction === 'out' ? '→' : entry.direction === 'in' ? '←' : '•';
  const head: Cell[] = [
    { text: formatTime(entry.time), class: 'dim' },
    { text: arrow },
    { text: entry.id, title: entry.id, class: entry.id === 'error' && entry.direction === 'event' ? 'bad' : '' },
    { text: entry.page === undefined ? 'all' : String(entry.page), class: 'num' },
  ];
  if (entry.stream === undefined) return [...head, { text: entry.text, title: entry.text }, { text: entry.result ?? '', class: entry.result === 'dropped' ? 'bad' : 'dim' }];
  const open = expanded.has(entry.seq);
  head[1] = { node: () => h('button', { type: 'button', class: 'expand', 'data-seq': String(entry.seq), title: open ? 'collapse' : 'show its newest frames' }, `${open ? '▾' : '▸'} ${arrow}`), signature: `${open}` };
  const stream = streams.get(`${entry.direction}:${entry.id}`);
  // Its run goes on until a pause longer than RUN_GAP (the host starts a new one then).
  const live = stream !== undefined && stream.run?.seq === entry.seq && now - stream.lastTime <= RUN_GAP;
  const counters = runs.get(entry.seq) ?? entry.stream;
  const rate = live ? `${formatRate(stream.messagesPerSecond)} frames/s · ${formatBytes(stream.bytesPerSecond)}/s · ` : '';
  const text = `${rate}${counters.frames} frames, ${formatBytes(counters.bytes)} · ${entry.text}`;
  const preview = stream?.run?.seq === entry.seq ? stream.preview : undefined;
  return [
    ...head,
    {
      node: () => h('div', { class: 'rate-cell' }, h('span', { class: 'rate', 'data-frames': String(counters.frames), 'data-live': String(live) }, text), preview === undefined ? null : renderPreview(preview, `log:${entry.seq}`, new Set())),
      signature: `${text}|${live}|${preview === undefined ? '' : JSON.stringify(preview)}`,
    },
    { text: live ? 'streaming' : 'ended', class: 'dim' },
  ];
}

function updatePageFilter(pageFilter: HTMLSelectElement, snapshot: InspectorSnapshot): void {
  const wanted = ['', ...snapshot.pages.map((page) => String(page.id))];
  const have = [...pageFilter.options].map((option) => option.value);
  if (wanted.join() === have.join()) return;
  const selected = pageFilter.value;
  pageFilter.replaceChildren(h('option', { value: '' }, 'every page'), ...snapshot.pages.map((page) => h('option', { value: String(page.id) }, `page ${page.id}`)));
  if (wanted.includes(selected)) pageFilter.value = selected;
}
