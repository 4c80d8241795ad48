import ts from 'typescript';
import { parse, resolveTestImport } from './test-files.js';

/** True for a call whose callee is rooted at `expect`: `expect(x).toBe(…)`, `expect.assertions(n)`, `expect.poll(…)` … */
export function isExpectCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node)) return false;
  let callee: ts.Expression = node.expression;
  for (;;) {
    if (ts.isIdentifier(callee)) return callee.text === 'expect';
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) callee = callee.expression;
    else if (ts.isCallExpression(callee)) callee = callee.expression;
    else if (ts.isAwaitExpression(callee) || ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
    else return false;
  }
}

/** The name a call is made by: `f(…)` → f, `obj.f(…)` / `this.#f(…)` → f. */
function calledName(node: ts.CallExpression): string | undefined {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** True when `node`'s subtree calls `expect` or a function named in `asserting`. */
export function asserts(node: ts.Node, asserting: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isExpectCall(n)) {
      found = true;
      return;
    }
    if (ts.isCallExpression(n)) {
      const name = calledName(n);
      if (name !== undefined && asserting.has(name)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Functions (declarations, `const f = () => …`, class methods) a file defines, by name; `methods` collects the methods' names. */
function localFunctions(source: ts.SourceFile, methods: Set<string>): Map<string, ts.Node[]> {
  const functions = new Map<string, ts.Node[]>();
  const add = (name: string, body: ts.Node | undefined): void => {
    if (!body) return;
    functions.set(name, [...(functions.get(name) ?? []), body]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name) add(node.name.text, node.body);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      add(node.name.text, node.initializer.body);
    } else if ((ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) {
      add(node.name.text, node.body);
      methods.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return functions;
}

interface Asserting {
  /** Every function or method name of the module that asserts. */
  names: Set<string>;
  /** Of those, the class methods (reachable as `instance.method()` wherever the class is imported). */
  methods: Set<string>;
}

const cache = new Map<string, Asserting>();

/**
 * Names of the functions a module defines that call `expect` (directly, through another of its
 * functions, or through a function it imports from another test support module), as a fixed point.
 */
export function assertingFunctions(file: string, source: ts.SourceFile = parse(file), seen: Set<string> = new Set()): Asserting {
  const cached = cache.get(file);
  if (cached) return cached;
  seen.add(file);
  const asserting = importedAssertingFunctions(file, source, seen);
  const methods = new Set<string>();
  const functions = localFunctions(source, methods);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, bodies] of functions) {
      if (asserting.has(name)) continue;
      if (bodies.some((body) => asserts(body, asserting))) {
        asserting.add(name);
        changed = true;
      }
    }
  }
  const result = { names: asserting, methods: new Set([...methods].filter((m) => asserting.has(m))) };
  cache.set(file, result);
  return result;
}

/** The names under which a file imports asserting functions from support modules under `test/` (helpers, not test files). */
export function importedAssertingFunctions(file: string, source: ts.SourceFile, seen: Set<string> = new Set([file])): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const target = resolveTestImport(file, statement.moduleSpecifier.text);
    if (!target || target.endsWith('.test.ts') || seen.has(target)) continue;
    const theirs = assertingFunctions(target, parse(target), seen);
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const exported = (element.propertyName ?? element.name).text;
        if (theirs.names.has(exported)) names.add(element.name.text);
      }
    }
    // Classes a helper exports carry their asserting methods, called as `instance.method()`.
    for (const method of theirs.methods) names.add(method);
  }
  return names;
}
