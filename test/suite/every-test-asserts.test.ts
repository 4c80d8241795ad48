import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asserts, assertingFunctions } from './asserting-functions.js';
import { TEST_ROOT, parse, testCases, testFiles } from './test-files.js';

// A lint over the suite's own source (TypeScript's parser, no type checking): every test body calls
// `expect` (or `expect.assertions` / `expect.hasAssertions`), directly or through a function that
// does: one of its own file, or one it imports from a support module under test/ (test/helpers/,
// test/hardening/helpers.ts, …), followed through that module's own functions. A test that asserts
// nothing passes whatever the code does, so it must not come back.

/**
 * Tests allowed to have no `expect`, each with the reason. Keyed `file › title`.
 * (Empty: every test asserts. Add one only with a reason a reviewer would accept.)
 */
const ALLOWED: Record<string, string> = {};

function key(file: string, title: string | undefined): string {
  return `${relative(TEST_ROOT, file)} › ${title ?? '<computed title>'}`;
}

describe('the suite', () => {
  const files = testFiles();

  it('finds the test files and their tests (the lint reads what vitest runs)', () => {
    expect(files.length).toBeGreaterThan(50);
    const total = files.reduce((n, f) => n + testCases(f).length, 0);
    expect(total).toBeGreaterThan(300);
  });

  it('every test body calls expect, or a helper that does', () => {
    const offenders: string[] = [];
    const allowedSeen = new Set<string>();
    for (const file of files) {
      const source = parse(file);
      const asserting = assertingFunctions(file, source).names;
      for (const test of testCases(file, source)) {
        if (test.modifiers.includes('todo')) continue; // a todo has no body and is counted as such
        const id = key(file, test.title);
        if (test.body && asserts(test.body, asserting)) continue;
        if (id in ALLOWED) {
          allowedSeen.add(id);
          continue;
        }
        offenders.push(`${relative(TEST_ROOT, file)}:${test.line} ${test.title ?? '<computed title>'}`);
      }
    }
    expect(offenders, 'tests that assert nothing (add an expect, or a reason in ALLOWED)').toEqual([]);
    // An exception whose test has gone or now asserts is stale.
    expect(Object.keys(ALLOWED).filter((id) => !allowedSeen.has(id))).toEqual([]);
  });

  it('the lint catches a test with no expect, and accepts expect.assertions and asserting helpers', () => {
    const fixture = `${TEST_ROOT}/suite/lint-fixture.ts`;
    const source = parse(fixture);
    const asserting = assertingFunctions(fixture, source).names;
    const verdicts = Object.fromEntries(testCases(fixture, source).map((t) => [t.title, t.body !== undefined && asserts(t.body, asserting)]));
    expect(verdicts).toEqual({
      'asserts nothing': false,
      'only awaits': false,
      'calls expect': true,
      'calls expect.assertions': true,
      'calls expect.hasAssertions': true,
      'calls a local asserting helper': true,
      'calls a local helper that does not assert': false,
      'calls an asserting helper from test/helpers': true,
      'calls a non-asserting helper from test/helpers': false,
      'each %s asserts': true,
      'each %s does not': false,
    });
  });
});
