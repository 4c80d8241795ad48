import { connect } from '../../client/index.js';
import type { InspectorFunctions, InspectorSnapshot, LogEntry } from '../snapshot.js';
import { createConsole } from './console.js';
import { h, replace } from './dom.js';
import { callRows, logRow, pageRows, parameterRows, retainedRows, streamRows } from './views.js';

// The inspector page: connects to the host's inspector socket with the project's modern client,
// draws each snapshot the host pushes (at most once per animation frame), and offers the console.

/** Log entries the page keeps (it shows the newest that pass the filters). */
const LOG_KEPT = 2000;
/** Log rows drawn at most. */
const LOG_SHOWN = 300;

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const client = connect<{ host: InspectorFunctions; events: { snapshot: Uint8Array } }>({
  url: `${scheme}//${location.host}${location.pathname}socket`,
  ...(token === undefined || token === '' ? {} : { token }),
  maxReconnectDelay: 2000,
});

const status = h('span', { id: 'status', class: 'connecting' }, 'connecting');
const errors = h('span', { id: 'errors', class: 'dim' });
const table = (id: string, ...headings: string[]): { section: HTMLTableElement; body: HTMLTableSectionElement } => {
  const body = h('tbody', { id });
  return { section: h('table', {}, h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', {}, text)))), body), body };
};
const pages = table('pages', 'page', 'client', 'origin', 'path', 'sockets', 'connected', 'in flight', 'state', 'frames', 'coalesced');
const streams = table('streams', '', 'id', 'type', 'size', 'msg/s', 'bytes/s', 'total', 'dropped', 'queued', 'preview');
const calls = table('calls', 'time', 'direction', 'kind', 'call', 'page', 'duration', 'result');
const retained = table('retained', 'id', 'type', 'value');
const parameters = table('parameters', 'id', 'spec', 'value', 'text', 'by', 'changes', 'gestures (newest first)');
const log = table('log-rows', 'time', '', 'id', 'page', 'data', 'result');

const logScroll = h('div', { id: 'log-scroll' }, log.section);
const idFilter = h('input', { id: 'log-id', placeholder: 'filter by id', size: '16' });
const pageFilter = h('select', { id: 'log-page' }, h('option', { value: '' }, 'every page'));
const pause = h('button', { id: 'log-pause', type: 'button' }, 'pause');
const clear = h('button', { id: 'log-clear', type: 'button' }, 'clear');
const logCount = h('span', { id: 'log-count', class: 'dim' });
const console_ = createConsole(client);
const noParameters = h('p', { id: 'no-parameters', class: 'placeholder' }, 'The host has no parameters.');

document.body.append(
  h('header', {}, h('h1', {}, 'hise-webview inspector'), status, errors),
  h(
    'main',
    {},
    h('section', { class: 'wide' }, h('h2', {}, 'Pages'), pages.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Streams and messages by id'), streams.section),
    h('section', {}, h('h2', {}, 'Calls'), calls.section),
    h('section', {}, h('h2', {}, 'Retained values'), retained.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Parameters'), noParameters, parameters.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Message log'), h('div', { class: 'toolbar' }, idFilter, pageFilter, pause, clear, logCount), logScroll),
    h('section', { class: 'wide' }, h('h2', {}, 'Console'), console_.element),
  ),
);

let latest: InspectorSnapshot | undefined;
const pageTable = pageRows(pages.body, () => latest?.time ?? Date.now());
const streamTable = streamRows(streams.body);
const callTable = callRows(calls.body);
const retainedTable = retainedRows(retained.body);
const parameterTable = parameterRows(parameters.body);
let drawn = true;
let paused = false;
let lastSeq = 0;
const entries: (LogEntry | { gap: number })[] = [];

document.title = `inspector · ${location.host}`;
client.onStatus((state) => {
  const hint = token === undefined || token === '' ? 'no token in this URL: open the URL the host printed' : 'a host started again prints a new inspector URL';
  status.textContent = state === 'open' ? 'connected' : `${state}… (${hint})`;
  status.className = state;
});
client.on('snapshot', (bytes) => {
  latest = JSON.parse(new TextDecoder().decode(bytes)) as InspectorSnapshot;
  merge(latest.log);
  if (drawn) {
    drawn = false;
    requestAnimationFrame(draw);
  }
});
pause.addEventListener('click', () => {
  paused = !paused;
  pause.textContent = paused ? 'resume' : 'pause';
  drawLog();
});
clear.addEventListener('click', () => {
  entries.length = 0;
  drawLog();
});
idFilter.addEventListener('input', () => drawLog());
pageFilter.addEventListener('change', () => drawLog());

/** Adds the snapshot's new entries; marks a gap when some were lost between two snapshots the page got. */
function merge(log: readonly LogEntry[]): void {
  const fresh = log.filter((entry) => entry.seq > lastSeq);
  if (fresh.length === 0) return;
  if (lastSeq > 0 && fresh[0]!.seq > lastSeq + 1) entries.push({ gap: fresh[0]!.seq - lastSeq - 1 });
  entries.push(...fresh);
  lastSeq = fresh[fresh.length - 1]!.seq;
  if (entries.length > LOG_KEPT) entries.splice(0, entries.length - LOG_KEPT);
}

function draw(): void {
  drawn = true;
  const snapshot = latest;
  if (snapshot === undefined) return;
  errors.textContent = snapshot.errors > 0 ? `${snapshot.errors} errors` : '';
  pageTable.update(snapshot.pages);
  streamTable.update(snapshot.streams);
  callTable.update([...snapshot.calls].reverse());
  retainedTable.update(snapshot.retained);
  parameterTable.update(snapshot.parameters);
  noParameters.hidden = snapshot.parameters.length > 0;
  console_.updateParameters(snapshot.parameters);
  console_.updatePages(snapshot.pages);
  updatePageFilter(snapshot);
  drawLog();
}

function drawLog(): void {
  if (paused) {
    logCount.textContent = `paused (${entries.length} kept)`;
    return;
  }
  const id = idFilter.value.trim();
  const page = pageFilter.value;
  const shown = entries.filter((entry) => 'gap' in entry || ((id === '' || entry.id.includes(id)) && (page === '' || String(entry.page) === page || entry.page === undefined)));
  replace(log.body, ...shown.slice(-LOG_SHOWN).map(logRow));
  logCount.textContent = `${shown.length} of ${entries.length}`;
  logScroll.scrollTop = logScroll.scrollHeight;
}

function updatePageFilter(snapshot: InspectorSnapshot): void {
  const wanted = ['', ...snapshot.pages.map((page) => String(page.id))];
  const have = [...pageFilter.options].map((option) => option.value);
  if (wanted.join() === have.join()) return;
  const selected = pageFilter.value;
  replace(pageFilter, h('option', { value: '' }, 'every page'), ...snapshot.pages.map((page) => h('option', { value: String(page.id) }, `page ${page.id}`)));
  if (wanted.includes(selected)) pageFilter.value = selected;
}
