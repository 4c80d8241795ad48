// Wires the stream to the views. Messages are only stored as they arrive; all drawing happens in
// one requestAnimationFrame loop from the newest data, so a burst of messages never costs a
// burst of repaints, and a late frame is simply replaced by the next.
import { createControls } from './controls.js';
import { createKnob } from './knob.js';
import { hostPort, loadClient, showConnection } from './connection.js';
import { createListener } from './listen.js';
import { createMeters, formatDb, toDb } from './meters.js';
import { createScope } from './scope.js';
import { createSpectrum } from './spectrum.js';
import { Action, BufferIndex, Meters, STATE_ID } from './streams.js';
import { createWorkerViews } from './worker-views.js';

/** Longest step the animations take, so a tab coming back from the background does not jump. */
const MAX_DT = 0.1;
/** How often the header's numbers are rewritten (DOM text is not free). */
const HEADER_INTERVAL_MS = 250;

const $ = (id) => document.getElementById(id);
const latest = { scopeLeft: undefined, scopeRight: undefined, spectrum: undefined, meters: undefined, state: undefined, health: undefined };
/** Frame accounting: `skipped` = gaps in the host's sequence, `coalesced` = arrived but never drawn. */
const stats = { received: 0, skipped: 0, coalesced: 0, drawn: 0, sinceDraw: 0, lastSeq: -1, audioBlocks: 0, audioSkipped: 0, audioAgeMs: undefined };

const port = hostPort();
const HiseWebSocketServer = await loadClient(port, (error) => setLamp('closed', 'waiting for host…', error));
const server = new HiseWebSocketServer(port);
const send = (action, value) => server.send(JSON.stringify({ action, value }));
const controls = createControls(send);
const listener = createListener($('listen'), (on) => send(Action.LISTEN, on), port, (block) => {
  stats.audioBlocks++;
  stats.audioSkipped += block.dropped;
  stats.audioAgeMs = block.ageMs;
  window.demo.onAudio?.(block);
});
$('listen').addEventListener('click', () => listener.toggle(latest.state?.sampleRate ?? 48000));
window.demo = { server, port, stats, latest, send }; // for tests and the console
// The gain parameter's knob (modern client); the page works without it if it cannot load.
createKnob($('gain-knob'), $('knob-value'), port).then((knob) => (window.demo.knob = knob), (error) => console.warn('gain knob unavailable:', error));

// The same stream drawn in a Worker (worker client); the page works without it if it cannot load.
createWorkerViews(port, { scope: $('worker-scope'), spectrum: $('worker-spectrum'), meter: $('worker-meter') }).then(
  (client) => (window.demo.worker = client),
  (error) => console.warn('worker views unavailable:', error),
);

showConnection(server, port, (open) => {
  controls.setConnected(open);
  stats.lastSeq = -1; // a new connection (maybe a new host) starts a new sequence
  if (open && listener.on) send(Action.LISTEN, true); // the host forgets subscriptions with the page
});

server.addEventListener((id, data) => {
  switch (id) {
    case String(BufferIndex.SCOPE_LEFT):
      latest.scopeLeft = data;
      break;
    case String(BufferIndex.SCOPE_RIGHT):
      latest.scopeRight = data;
      break;
    case String(BufferIndex.SPECTRUM):
      latest.spectrum = data;
      break;
    case String(BufferIndex.METERS):
      countFrame(data[Meters.SEQ]);
      latest.meters = data;
      break;
    // AUDIO_ID also reaches this connection while someone listens; the listener's own client takes it.
    case STATE_ID:
      latest.state = JSON.parse(data);
      controls.applyState(latest.state);
      $('source').textContent = `${latest.state.fileName ?? 'synth'} · ${latest.state.sampleRate / 1000} kHz`;
      break;
    case 'health':
      latest.health = JSON.parse(data);
      break;
  }
});

function countFrame(seq) {
  stats.received++;
  stats.sinceDraw++;
  if (stats.lastSeq >= 0 && seq > stats.lastSeq + 1) stats.skipped += seq - stats.lastSeq - 1;
  stats.lastSeq = seq;
}

const drawScope = createScope($('scope'));
const drawSpectrum = createSpectrum($('spectrum'));
const drawMeters = createMeters($('meters'));
let lastTime = performance.now();
let lastHeader = 0;
let receivedAtHeader = 0;

function frame(now) {
  const dt = Math.min(MAX_DT, (now - lastTime) / 1000);
  lastTime = now;
  if (stats.sinceDraw > 1) stats.coalesced += stats.sinceDraw - 1;
  stats.sinceDraw = 0;
  const m = latest.meters;
  const levels = m && [m[Meters.PEAK_LEFT], m[Meters.PEAK_RIGHT], m[Meters.RMS_LEFT], m[Meters.RMS_RIGHT]];
  drawScope(latest.scopeLeft, latest.scopeRight);
  drawSpectrum(latest.spectrum, latest.state?.sampleRate ?? 48000, dt);
  drawMeters(levels, dt);
  if (m) controls.showPosition(m[Meters.POSITION]);
  if (now - lastHeader >= HEADER_INTERVAL_MS) {
    updateHeader(levels, (stats.received - receivedAtHeader) / ((now - lastHeader) / 1000));
    lastHeader = now;
    receivedAtHeader = stats.received;
  }
  stats.drawn++;
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

function updateHeader(levels, fps) {
  $('rate').textContent = `${Math.round(fps)} fps`;
  $('skipped').textContent = `${stats.skipped} skipped`;
  $('coalesced').textContent = `${stats.coalesced} coalesced`;
  if (latest.health) $('cpu').textContent = `host ${latest.health.cpuPercent.toFixed(1)}% CPU`;
  if (!levels) return;
  ['peak-left', 'peak-right', 'rms-left', 'rms-right'].forEach((id, i) => ($(id).textContent = formatDb(toDb(levels[i]))));
}

function setLamp(state, text) {
  const lamp = $('connection');
  lamp.dataset.state = state;
  lamp.lastElementChild.textContent = text;
}
