// Controls for the parameters that are not a range: a boolean as a switch, a choice as a radio group.
import type { ParameterValue } from '../protocol/parameter-spec.js';
import { announceChanges, nameControl } from './control-a11y.js';
import type { ClientParameter } from './modern/client-parameter.js';
import { IdleGesture, widen, type ControlElement } from './parameter-controls.js';

/** A DOM event listener. */
type Listener = (event: unknown) => void;

/** Options of {@link bindSwitch} and {@link bindChoice}. */
export interface ToggleOptions {
  /** The accessible name, when the page has not named the element. @default the spec's `label`, else the id */
  label?: string;
}

/** A change made at once: its own gesture (one undo step). */
function setOnce(param: ClientParameter, value: ParameterValue): void {
  if (param.inGesture) param.end();
  param.begin();
  param.set(value);
  param.end();
}

/**
 * Makes `element` (a `<button>` is best) a switch for a boolean `param`: `role="switch"`,
 * `aria-checked` following the value, a click (or Space / Enter) toggles it as one gesture, named
 * from the label, and changes from the host announced. Returns a function that unbinds it.
 */
export function bindSwitch(element: ControlElement & { tagName?: string; textContent?: string | null }, typed: ClientParameter<boolean>, options: ToggleOptions = {}): () => void {
  const param = widen(typed);
  const show = (): void => {
    if (param.spec === undefined) return;
    nameControl(element, param, options.label);
    element.setAttribute('aria-checked', String(param.value === true));
  };
  const toggle = (): void => {
    if (param.spec !== undefined) setOnce(param, param.value !== true);
  };
  const key = (event: KeyboardEvent): void => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    event.preventDefault();
    toggle();
  };
  element.setAttribute('role', 'switch');
  if (element.tabIndex < 0) element.tabIndex = 0;
  // A button turns Space and Enter into a click itself.
  const listeners: [string, Listener][] = [['click', toggle as Listener], ...(element.tagName === 'BUTTON' ? [] : [['keydown', key as Listener] as [string, Listener]])];
  for (const [type, listener] of listeners) element.addEventListener(type, listener);
  const unwatch = param.watch(show);
  const unannounce = announceChanges(param, options.label);
  show();
  return () => {
    for (const [type, listener] of listeners) element.removeEventListener(type, listener);
    unwatch();
    unannounce();
  };
}

/** The part of an element {@link bindChoice} fills: any `HTMLElement` fits (written out so that the declarations need no DOM types). */
export interface ChoiceContainer {
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
  appendChild(node: never): unknown;
  readonly ownerDocument: unknown;
}

/** Keys that move a radio group's choice. */
const CHOICE_KEYS: Readonly<Record<string, number>> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: -Infinity, End: Infinity };

/**
 * Fills `container` with a radio group for a choice `param`: `role="radiogroup"` named from the
 * label, one `role="radio"` button per choice (`aria-checked`, one tab stop: the checked one), a
 * click picks (one gesture), arrow keys and Home/End move the choice (a run of keys is one gesture),
 * changes from the host are announced. `text` labels each choice. Returns a function that unbinds it
 * (and removes the buttons).
 */
export function bindChoice(element: ChoiceContainer, typed: ClientParameter<string>, options: ToggleOptions & { text?: (choice: string) => string } = {}): () => void {
  const container = element as unknown as HTMLElement;
  const param = widen(typed);
  const idle = new IdleGesture(param);
  let buttons: HTMLButtonElement[] = [];
  const build = (choices: readonly string[]): void => {
    for (const button of buttons) button.remove();
    buttons = choices.map((choice) => {
      const button = container.ownerDocument.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'radio');
      button.dataset.choice = choice;
      button.textContent = options.text?.(choice) ?? choice;
      container.appendChild(button);
      return button;
    });
  };
  const show = (): void => {
    const spec = param.spec;
    if (spec?.type !== 'choice') return;
    if (buttons.length !== spec.choices.length || buttons.some((b, i) => b.dataset.choice !== spec.choices[i])) build(spec.choices);
    nameControl(container, param, options.label);
    for (const button of buttons) {
      const checked = button.dataset.choice === param.value;
      button.setAttribute('aria-checked', String(checked));
      button.tabIndex = checked ? 0 : -1;
    }
  };
  const click = (event: MouseEvent): void => {
    const choice = (event.target as HTMLElement | null)?.closest?.('[role="radio"]')?.getAttribute('data-choice');
    if (choice != null && choice !== param.value) setOnce(param, choice);
  };
  const key = (event: KeyboardEvent): void => {
    const steps = CHOICE_KEYS[event.key];
    const spec = param.spec;
    if (steps === undefined || spec?.type !== 'choice') return;
    event.preventDefault();
    const index = Math.min(spec.choices.length - 1, Math.max(0, spec.choices.indexOf(String(param.value)) + steps));
    idle.touch();
    param.set(spec.choices[index]!);
    buttons[index]?.focus();
  };
  container.setAttribute('role', 'radiogroup');
  const listeners: [string, Listener][] = [
    ['click', click as Listener],
    ['keydown', key as Listener],
    // Focus leaving the group ends a key run's gesture; focus moving to the next radio does not.
    ['focusout', ((event: FocusEvent) => void (container.contains(event.relatedTarget as Node | null) || idle.finish())) as Listener],
  ];
  for (const [type, listener] of listeners) container.addEventListener(type, listener);
  const unwatch = param.watch(show);
  const unannounce = announceChanges(param, options.label);
  show();
  return () => {
    for (const [type, listener] of listeners) container.removeEventListener(type, listener);
    unwatch();
    unannounce();
    idle.finish();
    build([]);
  };
}
