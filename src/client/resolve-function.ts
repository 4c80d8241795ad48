// What the page's `callFunction` calls: the function HISE's `name(arg)` would reach, found without
// running anything but one validated identifier.
import { CallError } from '../protocol/calls.js';
import { isFunctionPath } from '../protocol/function-path.js';

/** A function and the `this` it is called with (`a.b(arg)` → `a`; a bare name → `undefined`, as in a call expression). */
export interface ResolvedFunction {
  fn: (...args: unknown[]) => unknown;
  self: unknown;
}

/**
 * Resolves `name` as HISE's `name(arg)` does: the first identifier through the page's global scope
 * (so top-level `const`, `let`, `class` and `function` of classic scripts are found, not only
 * `window` properties), the rest as properties.
 * @throws {CallError} `UNKNOWN_FUNCTION` when `name` is not a dotted identifier path or does not name a function
 */
export function resolveFunction(name: string): ResolvedFunction {
  if (!isFunctionPath(name)) throw new CallError('UNKNOWN_FUNCTION', `'${name}' is not a function name (identifiers joined by dots)`);
  const parts = name.split('.');
  let self: unknown;
  let target = lookUpGlobal(parts[0]!);
  for (let i = 1; i < parts.length; i++) {
    self = target;
    target = target === null || target === undefined ? undefined : (target as Record<string, unknown>)[parts[i]!];
  }
  if (typeof target !== 'function') throw new CallError('UNKNOWN_FUNCTION', `${name} is not a function in this page`);
  return { fn: target as ResolvedFunction['fn'], self };
}

/** The value of one identifier in the global scope, or `undefined`. */
function lookUpGlobal(identifier: string): unknown {
  try {
    // Indirect eval of a validated identifier only: it reads the global lexical scope, which no
    // property lookup can.
    return (0, eval)(identifier) as unknown;
  } catch (error) {
    // Undeclared (or a `let`/`const` whose declaration has not run yet), or a reserved word.
    if (error instanceof ReferenceError || error instanceof SyntaxError) return undefined;
    // A Content-Security-Policy without 'unsafe-eval': `window`'s properties are all that can be found.
    return (globalThis as Record<string, unknown>)[identifier];
  }
}
