// The Vue test app: every composable of hise-webview/vue, written with render functions.
import { createApp, defineComponent, h, onMounted, onUnmounted, ref, shallowRef } from 'vue';
import { attachDrag, bindChoice, bindSwitch, connect } from 'hise-webview/client';
import { createHooks, hisePlugin } from 'hise-webview/vue';
import { instrument, rendered } from './instrument.js';
import type { TestApp } from './contract.js';

const { useParameter, useStream, useLatest, useCall, useMessage, useConnection } = createHooks<TestApp>();
const client = connect<TestApp>();
const app = instrument(client as never, ['gain', 'mode', 'bypass']);

/** Runs `bind(element)` once mounted, and its remover on unmount. */
function bound(bind: (element: HTMLElement) => (() => void) | undefined) {
  const element = shallowRef<HTMLElement>();
  let unbind: (() => void) | undefined;
  onMounted(() => (unbind = bind(element.value!)));
  onUnmounted(() => unbind?.());
  return element;
}

const Knob = defineComponent(() => {
  const gain = useParameter('gain');
  const element = bound((el) => (gain.parameter === undefined ? undefined : attachDrag(el, gain.parameter)));
  return () => {
    rendered('knob');
    return h('div', { ref: element, id: 'knob', class: 'knob', 'data-value': String(gain.value.value), onContextmenu: () => gain.begin() }, gain.text.value);
  };
});

const Toggles = defineComponent(() => {
  const mode = useParameter('mode');
  const bypass = useParameter('bypass');
  const choices = bound((el) => (mode.parameter === undefined ? undefined : bindChoice(el, mode.parameter)));
  const button = bound((el) => (bypass.parameter === undefined ? undefined : bindSwitch(el as HTMLButtonElement, bypass.parameter)));
  return () => h('div', null, [h('div', { ref: choices, id: 'mode' }), h('button', { ref: button, id: 'bypass', type: 'button' }, 'Bypass')]);
});

const Meter = defineComponent(() => {
  useStream('level', () => void app.frames++);
  return () => {
    rendered('meter');
    return h('canvas', { id: 'meter', width: 100, height: 20, 'aria-hidden': 'true' });
  };
});

const Status = defineComponent(() => {
  const status = useLatest('status');
  const connection = useConnection();
  const ping = useCall('ping');
  const note = useMessage('note');
  const answer = ref('');
  return () =>
    h('div', null, [
      h('p', { id: 'status' }, status.value ?? ''),
      h('p', { id: 'connection' }, connection.value.status),
      h('button', { id: 'ping', type: 'button', onClick: () => void ping(2).then((n) => (answer.value = String(n))) }, 'Ping'),
      h('button', { id: 'note', type: 'button', onClick: () => note('hello') }, 'Note'),
      h('output', { id: 'answer' }, answer.value),
    ]);
});

let mounted: ReturnType<typeof createApp> | undefined;
app.mount = () => {
  mounted = createApp({ render: () => [h(Knob), h(Toggles), h(Meter), h(Status)] }).use(hisePlugin(client));
  mounted.mount('#root');
};
app.unmount = () => mounted?.unmount();
app.mount();
