/** One JavaScript identifier (Unicode letters, `$`, `_`; no escapes, no spaces). */
const IDENTIFIER = String.raw`[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*`;
const FUNCTION_PATH = new RegExp(`^${IDENTIFIER}(?:\\.${IDENTIFIER})*$`, 'u');

/** Longest `callFunction` name accepted, in UTF-16 code units. */
export const MAX_FUNCTION_PATH_LENGTH = 1024;

/**
 * Whether `name` is what `callFunction` can call: identifiers joined by dots (`initWebSocket`,
 * `app.scope.draw`). HISE pastes the name into code (`name(arg)`); a page resolves only such paths,
 * so a name can never be code.
 */
export function isFunctionPath(name: string): boolean {
  return name.length <= MAX_FUNCTION_PATH_LENGTH && FUNCTION_PATH.test(name);
}
