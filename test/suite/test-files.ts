import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's `test/` folder. */
export const TEST_ROOT = resolve(import.meta.dirname, '..');

/** Every `*.test.ts` file under `test/`, as absolute paths (sorted). */
export function testFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'fixtures' && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.test.ts')) found.push(path);
    }
  };
  walk(TEST_ROOT);
  return found.sort();
}

export function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** One `it`/`test` call (also `.each`, `.skipIf`, `.concurrent` … forms) found in a test file. */
export interface TestCase {
  file: string;
  /** The title as written (a template's `%s`/`$name` left as is); `undefined` when it is not a literal. */
  title: string | undefined;
  /** Titles of the enclosing `describe` blocks, outermost first (non-literal ones as `undefined`). */
  suites: (string | undefined)[];
  /** The test function, when the call has one (`it.todo` has none). */
  body: ts.FunctionLikeDeclaration | undefined;
  /** `it.todo` / `it.skip` / `it.fails`: the modifiers between the root name and the call. */
  modifiers: string[];
  line: number;
}

const TEST_ROOTS = new Set(['it', 'test']);
const SUITE_ROOTS = new Set(['describe', 'suite']);

/**
 * Splits a callee such as `it.skipIf(x).each(rows)` into its root (`it`) and its member names
 * (`skipIf`, `each`). Returns undefined for anything that is not rooted at an identifier.
 */
function calleeChain(callee: ts.Expression): { root: string; members: string[] } | undefined {
  const members: string[] = [];
  let node: ts.Expression = callee;
  for (;;) {
    if (ts.isIdentifier(node)) return { root: node.text, members: members.reverse() };
    if (ts.isPropertyAccessExpression(node)) {
      members.push(node.name.text);
      node = node.expression;
    } else if (ts.isCallExpression(node)) {
      node = node.expression; // it.each(rows)(…), it.skipIf(cond)(…)
    } else return undefined;
  }
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

function functionArgument(args: readonly ts.Expression[]): ts.FunctionLikeDeclaration | undefined {
  for (const arg of args.slice(1)) {
    if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) return arg;
  }
  return undefined;
}

/** Every test case of a file, with the titles of its suites. */
export function testCases(file: string, source: ts.SourceFile = parse(file)): TestCase[] {
  const cases: TestCase[] = [];
  const visit = (node: ts.Node, suites: (string | undefined)[]): void => {
    if (ts.isCallExpression(node)) {
      const chain = calleeChain(node.expression);
      // Only the outermost call of a chain carries the title and the function: `it.each(rows)('t', fn)`.
      const isTitled = chain && !(ts.isCallExpression(node.parent) && node.parent.expression === node);
      if (chain && isTitled && TEST_ROOTS.has(chain.root)) {
        cases.push({
          file,
          title: literalText(node.arguments[0]),
          suites,
          body: functionArgument(node.arguments),
          modifiers: chain.members,
          line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        });
        return;
      }
      if (chain && isTitled && SUITE_ROOTS.has(chain.root)) {
        const inner = [...suites, literalText(node.arguments[0])];
        for (const arg of node.arguments.slice(1)) ts.forEachChild(arg, (child) => visit(child, inner));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, suites));
  };
  visit(source, []);
  return cases;
}

/** The module a relative import specifier names, as a `.ts` path, when it is one under `test/`. */
export function resolveTestImport(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(fromFile), specifier).replace(/\.js$/, '.ts');
  if (relative(TEST_ROOT, target).startsWith('..')) return undefined;
  return existsSync(target) ? target : undefined;
}
