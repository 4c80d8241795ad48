import { WINDOW_NAMES } from './window-names.js';

/**
 * Names of bound callbacks (HISE's `bindCallback`): each becomes `window[name]` in every page with
 * the bridge, so a name must be a plain identifier a page can call as `name(...)`, and must not
 * replace anything the browser put on `window`: `location` would navigate the page away when
 * assigned, `__proto__` would swap the window's prototype, `fetch` or `setTimeout` would break the
 * page's own code.
 */

/** Why a name cannot be bound. */
export type BindingNameProblem = 'not-an-identifier' | 'reserved-word' | 'shadows-window';

/** Longest name accepted for a bound callback, in characters. */
export const MAX_BINDING_NAME_LENGTH = 256;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** ECMAScript's reserved words (strict mode too) and the names that cannot be assigned in strict code. */
const RESERVED_WORDS =
  'await break case catch class const continue debugger default delete do else enum export extends false finally for ' +
  'function if implements import in instanceof interface let new null package private protected public return static ' +
  'super switch this throw true try typeof var void while with yield arguments eval';

let reserved: ReadonlySet<string> | undefined;
let windowNames: ReadonlySet<string> | undefined;

/** True for an ASCII identifier (letters, digits, `_`, `$`; not starting with a digit) that is not a reserved word. */
export function isPlainIdentifier(name: unknown): name is string {
  if (typeof name !== 'string' || name.length > MAX_BINDING_NAME_LENGTH || !IDENTIFIER.test(name)) return false;
  reserved ??= new Set(RESERVED_WORDS.split(' '));
  return !reserved.has(name);
}

/** True when `name` is a property every page's `window` has (own or inherited), in Chromium or another webview engine. */
export function isWindowName(name: string): boolean {
  windowNames ??= new Set(WINDOW_NAMES);
  return windowNames.has(name);
}

/** What is wrong with `name` as a bound callback's name; undefined when nothing is. */
export function bindingNameProblem(name: unknown): BindingNameProblem | undefined {
  if (typeof name !== 'string' || name.length > MAX_BINDING_NAME_LENGTH || !IDENTIFIER.test(name)) return 'not-an-identifier';
  if (!isPlainIdentifier(name)) return 'reserved-word';
  if (isWindowName(name)) return 'shadows-window';
  return undefined;
}
