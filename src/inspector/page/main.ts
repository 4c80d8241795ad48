import { connect } from '../../client/index.js';
import type { InspectorFunctions, InspectorHistory, InspectorSnapshot } from '../snapshot.js';
import { createConsole } from './console.js';
import { h } from './dom.js';
import { createLogView } from './log-view.js';
import { callRows, pageRows, parameterRows, retainedRows, storedRows, streamRows } from './views.js';

// The inspector page: connects to the host's inspector socket with the project's modern client,
// shows the history the host kept, then draws each snapshot the host pushes (at most once per
// animation frame), and offers the console.

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? undefined;
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const client = connect<{ host: InspectorFunctions; events: { snapshot: Uint8Array; history: InspectorHistory } }>({
  url: `${scheme}//${location.host}${location.pathname}socket`,
  ...(token === undefined || token === '' ? {} : { token }),
  maxReconnectDelay: 2000,
});

const status = h('span', { id: 'status', class: 'connecting' }, 'connecting');
const errors = h('span', { id: 'errors', class: 'dim' });
const showInternal = h('input', { id: 'show-internal', type: 'checkbox' });
const table = (id: string, ...headings: string[]): { section: HTMLTableElement; body: HTMLTableSectionElement } => {
  const body = h('tbody', { id });
  return { section: h('table', {}, h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', {}, text)))), body), body };
};
const pages = table('pages', 'page', 'client', 'origin', 'path', 'sockets', 'connected', 'in flight', 'state', 'frames', 'coalesced');
const streams = table('streams', '', 'id', 'type', 'size', 'msg/s', 'bytes/s', 'total', 'dropped', 'queued', 'preview');
const calls = table('calls', 'time', 'direction', 'kind', 'call', 'page', 'duration', 'result');
const retained = table('retained', 'id', 'type', 'value');
const stored = table('stored', 'kind', 'key', 'call');
const parameters = table('parameters', 'id', 'spec', 'value', 'text', 'by', 'changes', 'gestures (newest first)');
const log = createLogView(
  () => showInternal.checked,
  (after) => client.call('log', after),
);
const untracked = h('span', { id: 'untracked', class: 'dim' });
const console_ = createConsole(client);
const noParameters = h('p', { id: 'no-parameters', class: 'placeholder' }, 'The host has no parameters.');

document.body.append(
  h(
    'header',
    {},
    h('h1', {}, 'hise-webview inspector'),
    status,
    errors,
    h('label', { class: 'filter', title: "the bridge's own calls and messages ($sync, $reload, …)" }, showInternal, " show the bridge's own traffic"),
  ),
  h(
    'main',
    {},
    h('section', { class: 'wide' }, h('h2', {}, 'Pages'), pages.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Streams and messages by id ', untracked), streams.section),
    h('section', {}, h('h2', {}, 'Calls'), calls.section),
    h('section', {}, h('h2', {}, 'Retained values'), retained.section, h('h2', { class: 'below' }, 'Stored calls (each page runs them when it loads)'), stored.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Parameters'), noParameters, parameters.section),
    h('section', { class: 'wide' }, h('h2', {}, 'Message log'), log.element),
    h('section', { class: 'wide' }, h('h2', {}, 'Console'), console_.element),
  ),
);

let latest: InspectorSnapshot | undefined;
const pageTable = pageRows(pages.body, () => latest?.time ?? Date.now());
const streamTable = streamRows(streams.body);
const callTable = callRows(calls.body);
const retainedTable = retainedRows(retained.body);
const storedTable = storedRows(stored.body);
const parameterTable = parameterRows(parameters.body);
let drawn = true;

document.title = `inspector · ${location.host}`;
client.onStatus((state) => {
  const hint = token === undefined || token === '' ? 'no token in this URL: open the URL the host printed' : 'a host started again prints a new inspector URL';
  status.textContent = state === 'open' ? 'connected' : `${state}… (${hint})`;
  status.className = state;
});
client.on('history', (history) => {
  log.history(history);
  schedule();
});
client.on('snapshot', (bytes) => {
  latest = JSON.parse(new TextDecoder().decode(bytes)) as InspectorSnapshot;
  log.merge(latest);
  schedule();
});
showInternal.addEventListener('change', () => draw());

function schedule(): void {
  if (!drawn) return;
  drawn = false;
  requestAnimationFrame(draw);
}

function draw(): void {
  drawn = true;
  const snapshot = latest;
  if (snapshot === undefined) {
    log.draw(undefined);
    return;
  }
  errors.textContent = snapshot.errors > 0 ? `${snapshot.errors} errors` : '';
  untracked.textContent = snapshot.untrackedFrames > 0 ? `(${snapshot.untrackedFrames} frames of ids beyond maxIds, counted only)` : '';
  pageTable.update(snapshot.pages);
  streamTable.update(snapshot.streams);
  callTable.update(snapshot.calls.filter((call) => showInternal.checked || !call.internal).reverse());
  retainedTable.update(snapshot.retained);
  storedTable.update(snapshot.stored);
  parameterTable.update(snapshot.parameters);
  noParameters.hidden = snapshot.parameters.length > 0;
  console_.updateParameters(snapshot.parameters);
  console_.updatePages(snapshot.pages);
  log.draw(snapshot);
}
