// What the controls (attachDrag, bindRange, bindSwitch, bindChoice) tell assistive technology: a
// name from the parameter's label, the range and value as numbers and as text, and an announcement
// of changes that come from the host (or another page), which a screen reader would not read otherwise.
import type { ParameterSpec, ParameterValue } from '../protocol/parameter-spec.js';
import type { ClientParameter, ParameterMeta } from './modern/client-parameter.js';

/** The part of an element the accessibility helpers use. */
export interface LabelledElement {
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  hasAttribute?(name: string): boolean;
  id?: string;
}

/** Milliseconds a run of changes from elsewhere waits before the last is announced (one announcement per run). */
export const ANNOUNCE_QUIET_MS = 400;

/**
 * Names `element` after the parameter (`label`, else the spec's `label`, else its id) unless the page
 * named it already (`aria-label`, `aria-labelledby`, or a `<label for>` it points at).
 */
export function nameControl(element: LabelledElement, param: ClientParameter, label?: string): void {
  if (element.getAttribute('aria-label') !== null || element.getAttribute('aria-labelledby') !== null) return;
  const doc = (globalThis as { document?: { querySelector(selector: string): unknown } }).document;
  if (element.id && doc?.querySelector(`label[for="${cssEscape(element.id)}"]`)) return;
  const name = label ?? param.spec?.label ?? param.id;
  if (name !== '') element.setAttribute('aria-label', name);
}

/** The value as the number `aria-valuenow` takes: a number itself, a choice's index, a boolean's 0/1. */
export function numericValue(spec: ParameterSpec, value: ParameterValue): number {
  if (spec.type === 'choice') return Math.max(0, spec.choices.indexOf(String(value)));
  if (spec.type === 'boolean') return value === true ? 1 : 0;
  return Number(value);
}

/** Sets `aria-valuemin/max/now/text` of a slider from the parameter's spec, value and text (its `format`, units, choices). */
export function describeSlider(element: LabelledElement, param: ClientParameter): void {
  const spec = param.spec;
  if (spec === undefined || param.value === undefined) return;
  const [min, max] = spec.type === 'number' ? [spec.min, spec.max] : spec.type === 'choice' ? [0, spec.choices.length - 1] : [0, 1];
  element.setAttribute('aria-valuemin', String(min));
  element.setAttribute('aria-valuemax', String(max));
  element.setAttribute('aria-valuenow', String(numericValue(spec, param.value)));
  element.setAttribute('aria-valuetext', param.text);
}

/** The polite live region every control announces into: one per document, visually hidden. */
function liveRegion(): { textContent: string | null } | undefined {
  const doc = (globalThis as { document?: Document }).document;
  if (doc?.body == null) return undefined;
  let region = doc.getElementById('hise-webview-announcer');
  if (region === null) {
    region = doc.createElement('div');
    region.id = 'hise-webview-announcer';
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('role', 'status');
    region.style.cssText = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0';
    doc.body.appendChild(region);
  }
  return region;
}

/**
 * Announces changes of `param` that come from elsewhere (the host's automation, a preset, another
 * page) as "Gain: -6.0 dB", once a run of them has been quiet for {@link ANNOUNCE_QUIET_MS}; the
 * page's own changes and the values on (re)connect are not announced. Returns the function that stops.
 */
export function announceChanges(param: ClientParameter, label?: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = param.subscribe((_value: ParameterValue, meta: ParameterMeta) => {
    if (meta.initial) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const region = liveRegion();
      if (region !== undefined) region.textContent = `${label ?? param.spec?.label ?? param.id}: ${param.text}`;
    }, ANNOUNCE_QUIET_MS);
  });
  return () => {
    clearTimeout(timer);
    off();
  };
}

function cssEscape(id: string): string {
  return id.replace(/["\\]/g, '\\$&');
}
