// The React test app: every hook of hise-webview/react, in StrictMode (effects mount twice).
import { createElement as h, StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { attachDrag, bindChoice, bindSwitch, connect } from 'hise-webview/client';
import { HiseProvider, createHooks } from 'hise-webview/react';
import { instrument, rendered } from './instrument.js';
import type { TestApp } from './contract.js';

const { useParameter, useStream, useLatest, useCall, useMessage, useConnection } = createHooks<TestApp>();
const client = connect<TestApp>();
const app = instrument(client as never, ['gain', 'mode', 'bypass']);

function Knob() {
  const gain = useParameter('gain');
  rendered('knob');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => (gain.parameter === undefined ? undefined : attachDrag(ref.current!, gain.parameter)), [gain.parameter]);
  return h('div', { ref, id: 'knob', className: 'knob', 'data-value': String(gain.value), onContextMenu: () => gain.begin() }, gain.text);
}

function Toggles() {
  const mode = useParameter('mode');
  const bypass = useParameter('bypass');
  const choices = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => (mode.parameter === undefined ? undefined : bindChoice(choices.current!, mode.parameter)), [mode.parameter]);
  useEffect(() => (bypass.parameter === undefined ? undefined : bindSwitch(button.current!, bypass.parameter)), [bypass.parameter]);
  return h('div', null, h('div', { ref: choices, id: 'mode' }), h('button', { ref: button, id: 'bypass', type: 'button' }, 'Bypass'));
}

function Meter() {
  rendered('meter');
  useStream('level', () => void app.frames++);
  return h('canvas', { id: 'meter', width: 100, height: 20, 'aria-hidden': true });
}

function Status() {
  const status = useLatest('status');
  const connection = useConnection();
  const ping = useCall('ping');
  const note = useMessage('note');
  const [answer, setAnswer] = useState('');
  return h(
    'div',
    null,
    h('p', { id: 'status' }, status ?? ''),
    h('p', { id: 'connection' }, connection.status),
    h('button', { id: 'ping', type: 'button', onClick: () => void ping(2).then((n) => setAnswer(String(n))) }, 'Ping'),
    h('button', { id: 'note', type: 'button', onClick: () => note('hello') }, 'Note'),
    h('output', { id: 'answer' }, answer),
  );
}

const root = createRoot(document.getElementById('root')!);
app.mount = () => root.render(h(StrictMode, null, h(HiseProvider, { client }, h(Knob), h(Toggles), h(Meter), h(Status))));
app.unmount = () => root.render(h(HiseProvider, { client }));
app.mount();
