import type { ParameterSpec, ParameterValue } from '../protocol/parameter-spec.js';
import { announceChanges, describeSlider, nameControl } from './control-a11y.js';
import type { ClientParameter } from './modern/client-parameter.js';

/**
 * The part of an element a control uses: any `HTMLElement` fits. Written out so that the
 * declarations need no DOM types (a Node project type-checks them too).
 */
export interface ControlElement {
  addEventListener(type: string, listener: (event: unknown) => void, options?: { passive?: boolean }): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
  setPointerCapture?(pointerId: number): void;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  id?: string;
  tabIndex: number;
  readonly style: { touchAction: string };
}

/** A DOM event listener, as {@link ControlElement} takes it. */
type Listener = (event: unknown) => void;

/** The part of an `<input type="range">` {@link bindRange} uses: any `HTMLInputElement` fits. */
export interface RangeElement extends ControlElement {
  min: string;
  max: string;
  step: string;
  value: string;
}

/** Milliseconds after the last wheel step that a wheel gesture ends. */
export const WHEEL_GESTURE_MS = 300;
/** Wheel steps across the whole range (a choice moves one choice per step). */
export const WHEEL_STEPS = 100;
/** Keys that move a control, and by how many steps (Home and End: to either end). */
const KEY_STEPS: Readonly<Record<string, number>> = {
  ArrowUp: 1,
  ArrowRight: 1,
  ArrowDown: -1,
  ArrowLeft: -1,
  PageUp: 10,
  PageDown: -10,
  Home: -Infinity,
  End: Infinity,
};

/** What a key event gives the controls. */
interface KeyLike {
  key: string;
  shiftKey: boolean;
  preventDefault(): void;
}

/**
 * Opens a gesture when one is needed and closes it after a quiet spell (wheel and keys have no
 * "up"): one drag of the wheel, or one run of key presses, is one undo step.
 */
export class IdleGesture {
  #timer: ReturnType<typeof setTimeout> | undefined;
  constructor(readonly param: ClientParameter) {}
  touch(): void {
    if (this.#timer === undefined && !this.param.inGesture) this.param.begin();
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.finish(), WHEEL_GESTURE_MS);
  }
  finish(): void {
    clearTimeout(this.#timer);
    if (this.#timer !== undefined && this.param.inGesture) this.param.end();
    this.#timer = undefined;
  }
}

/** A typed parameter as the controls handle it: they only set values its own spec produced. */
export function widen<T extends ParameterValue>(param: ClientParameter<T>): ClientParameter {
  return param as unknown as ClientParameter;
}

/** One step of a control in normalised units: the spec's step, a choice, or 1/{@link WHEEL_STEPS}. */
function normalizedStep(spec: ParameterSpec): number {
  if (spec.type === 'boolean') return 1;
  if (spec.type === 'choice') return 1 / Math.max(1, spec.choices.length - 1);
  if (spec.skew === 'linear' && spec.step > 0) return Math.max(spec.step / (spec.max - spec.min), 1 / WHEEL_STEPS / 10);
  return 1 / WHEEL_STEPS;
}

/** A fine step (Shift held): the spec's own step for a stepped number, else a tenth of {@link normalizedStep}. */
function fineStep(spec: ParameterSpec, fine: number): number {
  if (spec.type !== 'number') return normalizedStep(spec);
  if (spec.skew === 'linear' && spec.step > 0) return spec.step / (spec.max - spec.min);
  return 1 / WHEEL_STEPS / fine;
}

function moveBy(param: ClientParameter, steps: number, fine?: number): void {
  if (param.spec === undefined) return;
  const step = fine === undefined ? coarseStep(param.spec) : fineStep(param.spec, fine);
  param.setNormalized(Math.min(1, Math.max(0, param.normalized + steps * step)));
}

/** A key's step: at least 1/{@link WHEEL_STEPS} of the range (a stepped number's arrow would crawl otherwise), a choice per key. */
function coarseStep(spec: ParameterSpec): number {
  return spec.type === 'number' ? Math.max(normalizedStep(spec), 1 / WHEEL_STEPS) : normalizedStep(spec);
}

/**
 * Moves `param` for a key of {@link KEY_STEPS} (Shift: fine steps) inside `idle`'s gesture, so a run
 * of keys (a held key's repeats too) is one gesture. False for other keys.
 */
function keyMove(event: KeyLike, param: ClientParameter, idle: IdleGesture, fine: number): boolean {
  const steps = KEY_STEPS[event.key];
  if (steps === undefined || param.spec === undefined) return false;
  event.preventDefault();
  idle.touch();
  moveBy(param, steps, event.shiftKey ? fine : undefined);
  return true;
}

/** Options of {@link attachDrag}. */
export interface DragOptions {
  /** Pixels of vertical drag across the whole range. @default 200 */
  pixels?: number;
  /** Holding Shift divides the drag's speed (and a key's step) by this (fine adjustment). @default 10 */
  fine?: number;
  /** The accessible name, when the page has not named the element (`aria-label`, `aria-labelledby`, a `<label for>`). @default the spec's `label`, else the id */
  label?: string;
}

/**
 * Makes `element` a knob for `param`: vertical drag (up raises; pointer captured, so the drag goes
 * on outside the element), the wheel, keys when focused (arrows, Page Up/Down, Home/End; Shift for
 * fine steps), and double-click to the default; each drag, wheel run or key run is one gesture.
 * Accessible as a slider: named from the label, `aria-valuemin/max/now/text` from the spec and its
 * format, and changes from the host announced. Draw the knob with `param.watch(...)`. Returns a
 * function that detaches it.
 */
export function attachDrag<T extends ParameterValue>(element: ControlElement, typed: ClientParameter<T>, options: DragOptions = {}): () => void {
  const param = widen(typed);
  const pixels = options.pixels ?? 200;
  const fine = options.fine ?? 10;
  const idle = new IdleGesture(param);
  /** The gesture opens at the first move, so a click (or the two of a double-click) is no gesture. */
  let drag: { pointer: number; y: number; start: number; began: boolean } | undefined;
  const down = (event: PointerEvent): void => {
    if (param.spec === undefined || drag !== undefined || event.button !== 0) return;
    idle.finish();
    event.preventDefault();
    element.setPointerCapture?.(event.pointerId);
    drag = { pointer: event.pointerId, y: event.clientY, start: param.normalized, began: false };
  };
  const move = (event: PointerEvent): void => {
    if (drag?.pointer !== event.pointerId) return;
    const travel = (drag.y - event.clientY) / (pixels * (event.shiftKey ? fine : 1));
    if (travel === 0) return;
    if (!drag.began) param.begin();
    drag.began = true;
    param.setNormalized(Math.min(1, Math.max(0, drag.start + travel)));
  };
  const up = (event: PointerEvent): void => {
    if (drag?.pointer !== event.pointerId) return;
    const { began } = drag;
    drag = undefined;
    if (began && param.inGesture) param.end();
  };
  const wheel = (event: WheelEvent): void => {
    if (param.spec === undefined || drag !== undefined) return;
    event.preventDefault();
    idle.touch();
    moveBy(param, event.deltaY < 0 ? 1 : -1);
  };
  const key = (event: KeyboardEvent): void => {
    if (drag === undefined) keyMove(event, param, idle, fine);
  };
  const reset = (): void => {
    if (param.spec === undefined || drag !== undefined) return;
    idle.finish();
    param.begin();
    param.set(param.spec.default);
    param.end();
  };
  const label = (): void => {
    if (param.spec !== undefined) nameControl(element, param, options.label);
    describeSlider(element, param);
  };
  element.setAttribute('role', element.getAttribute('role') ?? 'slider');
  if (element.tabIndex < 0) element.tabIndex = 0;
  element.style.touchAction = 'none';
  const listeners: [string, Listener][] = [
    ['pointerdown', down as Listener],
    ['pointermove', move as Listener],
    ['pointerup', up as Listener],
    ['pointercancel', up as Listener],
    ['wheel', wheel as Listener],
    ['keydown', key as Listener],
    ['dblclick', reset as Listener],
    ['blur', (() => idle.finish()) as Listener],
  ];
  for (const [type, listener] of listeners) element.addEventListener(type, listener, { passive: type !== 'wheel' && type !== 'pointerdown' && type !== 'keydown' });
  const unwatch = param.watch(label);
  const unannounce = announceChanges(param, options.label);
  label();
  return () => {
    for (const [type, listener] of listeners) element.removeEventListener(type, listener);
    unwatch();
    unannounce();
    idle.finish();
    if (drag !== undefined && param.inGesture) param.end();
  };
}

/** Options of {@link bindRange}. */
export interface RangeOptions {
  /** Shift divides a key's step by this (fine adjustment). @default 10 */
  fine?: number;
  /** The accessible name, when the page has not named the input (`aria-label`, `aria-labelledby`, a `<label for>`). @default the spec's `label`, else the id */
  label?: string;
}

/**
 * Binds an `<input type="range">` to `param`: its range follows the spec (a skewed number or a
 * choice moves in 0–1 positions or indices), a pointer drag, a run of keys (arrows, Page Up/Down,
 * Home/End; Shift for fine steps) or the wheel is one gesture, and changes from elsewhere move it
 * (never during its own gesture) and are announced. Named from the label, with `aria-valuetext`
 * from the parameter's format. Returns a function that unbinds it.
 */
export function bindRange<T extends ParameterValue>(input: RangeElement, typed: ClientParameter<T>, options: RangeOptions = {}): () => void {
  const param = widen(typed);
  const idle = new IdleGesture(param);
  let pointer: number | undefined;
  /** The input's own units: the value for a linear number, else the 0–1 position. */
  const linear = (): boolean => param.spec?.type === 'number' && param.spec.skew === 'linear';
  const configure = (): void => {
    const spec = param.spec;
    if (spec === undefined) return;
    if (spec.type === 'number' && linear()) {
      input.min = String(spec.min);
      input.max = String(spec.max);
      input.step = spec.step > 0 ? String(spec.step) : 'any';
    } else {
      input.min = '0';
      input.max = '1';
      input.step = spec.type === 'number' ? 'any' : String(normalizedStep(spec));
    }
  };
  const show = (): void => {
    if (param.value === undefined) return;
    configure();
    input.value = String(linear() ? param.value : param.normalized);
    nameControl(input, param, options.label);
    input.setAttribute('aria-valuetext', param.text);
  };
  const key = (event: KeyboardEvent): void => {
    if (pointer === undefined && keyMove(event, param, idle, options.fine ?? 10)) show();
  };
  const onInput = (): void => {
    if (param.spec === undefined) return;
    if (pointer === undefined) idle.touch(); // keys: a run of presses is one gesture
    const n = Number(input.value);
    if (linear()) param.set(param.coerce(n));
    else param.setNormalized(n);
  };
  const down = (event: PointerEvent): void => {
    if (param.spec === undefined || pointer !== undefined) return;
    idle.finish();
    pointer = event.pointerId;
    input.setPointerCapture?.(event.pointerId);
    param.begin();
  };
  const up = (event: PointerEvent): void => {
    if (pointer !== event.pointerId) return;
    pointer = undefined;
    if (param.inGesture) param.end();
  };
  const wheel = (event: WheelEvent): void => {
    if (param.spec === undefined || pointer !== undefined) return;
    event.preventDefault();
    idle.touch();
    moveBy(param, event.deltaY < 0 ? 1 : -1);
    show();
  };
  const listeners: [string, Listener][] = [
    ['input', onInput as Listener],
    ['pointerdown', down as Listener],
    ['pointerup', up as Listener],
    ['pointercancel', up as Listener],
    ['wheel', wheel as Listener],
    ['keydown', key as Listener],
    ['blur', (() => idle.finish()) as Listener],
  ];
  for (const [type, listener] of listeners) input.addEventListener(type, listener, { passive: type !== 'wheel' && type !== 'keydown' });
  const unsubscribe = param.subscribe(show);
  const unannounce = announceChanges(param, options.label);
  show();
  return () => {
    for (const [type, listener] of listeners) input.removeEventListener(type, listener);
    unsubscribe();
    unannounce();
    idle.finish();
    if (pointer !== undefined && param.inGesture) param.end();
  };
}
