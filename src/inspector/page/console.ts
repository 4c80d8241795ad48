import type { HiseClient } from '../../client/index.js';
import type { InspectorFunctions, PageView, ParameterView } from '../snapshot.js';
import { h, replace } from './dom.js';

type Client = HiseClient<{ host: InspectorFunctions }>;

/**
 * The console: send a message, call a page's function, call `callFunction`, call the host's own
 * handled function or bound callback. Arguments are typed as JSON.
 */
export function createConsole(client: Client): { element: HTMLElement; updatePages(pages: readonly PageView[]): void; updateParameters(parameters: readonly ParameterView[]): void } {
  const output = h('div', { id: 'console-out' });
  const show = (label: string, promise: Promise<unknown>): void => {
    const line = h('div', {}, `${label} … `);
    output.prepend(line);
    promise.then(
      (value) => line.append(h('span', { class: 'ok' }, JSON.stringify(value) ?? 'undefined')),
      (error: { code?: string; message?: string }) => line.append(h('span', { class: 'bad' }, `${error.code ?? 'ERROR'}: ${error.message ?? String(error)}`)),
    );
    while (output.childElementCount > 50) output.lastElementChild?.remove();
  };
  const json = (text: string): unknown => (text.trim() === '' ? undefined : JSON.parse(text));
  const guarded = (label: string, run: () => Promise<unknown>): void => {
    try {
      show(label, run());
    } catch (error) {
      show(label, Promise.reject({ code: 'INVALID_JSON', message: (error as Error).message }));
    }
  };

  const sendTarget = h('select', { name: 'target', 'aria-label': 'send to' }, h('option', { value: 'all' }, 'all pages'));
  const sendId = h('input', { name: 'id', placeholder: 'id', size: '12' });
  const sendAs = h('select', { name: 'as' }, h('option', { value: 'json' }, 'JSON'), h('option', { value: 'string' }, 'string'), h('option', { value: 'float32' }, 'Float32Array'));
  const sendData = h('input', { name: 'data', placeholder: 'data (JSON, or text for string)', size: '30' });
  const sendForm = form('send', [sendTarget, sendId, sendAs, sendData], () => {
    const target = sendTarget.value === 'all' ? 'all' : Number(sendTarget.value);
    guarded(`send ${sendId.value}`, () => {
      const data = sendAs.value === 'string' ? sendData.value : json(sendData.value);
      return client.call('send', target, sendId.value, data, sendAs.value as 'json');
    });
  });

  const callPageTarget = h('select', { name: 'page', 'aria-label': 'page' });
  const callPageName = h('input', { name: 'name', placeholder: 'page function', size: '14' });
  const callPageArgs = h('input', { name: 'args', placeholder: 'args as JSON array, e.g. [1, "a"]', size: '24' });
  const callPageForm = form('call page', [callPageTarget, callPageName, callPageArgs], () =>
    guarded(`call ${callPageName.value}`, () => client.call('callPage', Number(callPageTarget.value), callPageName.value, (json(callPageArgs.value) as unknown[]) ?? [])),
  );

  const functionName = h('input', { name: 'name', placeholder: 'callFunction name', size: '14' });
  const functionArg = h('input', { name: 'arg', placeholder: 'argument as JSON (optional)', size: '24' });
  functionName.title = "HISE's callFunction in every page with the bridge (stored and replayed in pages that open later, while enablePersistence)";
  const functionForm = form('callFunction', [functionName, functionArg], () =>
    guarded(`callFunction ${functionName.value}`, () => {
      const arg = json(functionArg.value);
      return arg === undefined ? client.call('callFunction', functionName.value) : client.call('callFunction', functionName.value, arg);
    }),
  );

  const hostName = h('input', { name: 'name', placeholder: 'handled or bound name', size: '14' });
  const hostArgs = h('input', { name: 'args', placeholder: 'args as JSON array', size: '24' });
  const hostForm = form('call host', [hostName, hostArgs], () =>
    guarded(`host ${hostName.value}`, () => client.call('callHost', hostName.value, (json(hostArgs.value) as unknown[]) ?? [])),
  );

  const parameterId = h('select', { name: 'parameter', 'aria-label': 'parameter' });
  const parameterValue = h('input', { name: 'value', placeholder: 'value as JSON: 0.5, "saw", true', size: '24' });
  const parameterForm = form('set parameter', [parameterId, parameterValue], () =>
    guarded(`set ${parameterId.value}`, () => client.call('setParameter', parameterId.value, json(parameterValue.value))),
  );

  const element = h('div', {}, sendForm, callPageForm, functionForm, hostForm, parameterForm, output);
  let known = '';
  let knownParameters = '';
  return {
    element,
    updatePages(pages) {
      const ids = pages.map((page) => `${page.id}:${page.kind}`).join(',');
      if (ids === known) return;
      known = ids;
      const selected = [sendTarget.value, callPageTarget.value];
      replace(sendTarget, h('option', { value: 'all' }, 'all pages'), ...pages.map((page) => h('option', { value: String(page.id) }, `page ${page.id}`)));
      replace(callPageTarget, ...pages.filter((page) => page.kind === 'modern').map((page) => h('option', { value: String(page.id) }, `page ${page.id}`)));
      if ([...sendTarget.options].some((o) => o.value === selected[0])) sendTarget.value = selected[0]!;
      if ([...callPageTarget.options].some((o) => o.value === selected[1])) callPageTarget.value = selected[1]!;
    },
    updateParameters(parameters) {
      const ids = parameters.map((parameter) => parameter.id);
      if (JSON.stringify(ids) === knownParameters) return;
      knownParameters = JSON.stringify(ids);
      const selected = parameterId.value;
      replace(parameterId, ...ids.map((id) => h('option', { value: id }, id)));
      if (ids.includes(selected)) parameterId.value = selected;
    },
  };
}

function form(label: string, fields: HTMLElement[], submit: () => void): HTMLFormElement {
  const element = h('form', { class: 'action', 'data-action': label }, h('strong', {}, label), ...fields, h('button', { type: 'submit' }, 'run'));
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  return element;
}
