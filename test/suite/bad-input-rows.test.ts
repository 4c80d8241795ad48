import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_ROOT, testCases, testFiles, type TestCase } from './test-files.js';

// docs/BAD-INPUT.md promises a test for every row. This reads the document and the test files (with
// TypeScript's parser) and fails when a row has none:
// - the numbered rows (01 … 29, 12b, 24b): a test in test/hardening/bad-input.test.ts whose title
//   starts with the row's id, as the document says;
// - S, N, O, D and I rows: a test titled by the row's id in any test file;
// - rows with a "test" column (H, P): the test it names (`file` › suite › title, `…` standing for
//   any text), in that file.

const DOC = join(TEST_ROOT, '..', 'docs', 'BAD-INPUT.md');
const BAD_INPUT_TESTS = join(TEST_ROOT, 'hardening', 'bad-input.test.ts');

interface Row {
  id: string;
  cells: string[];
  /** The header of its table, to find its "test" column. */
  header: string[];
}

function cellsOf(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

/** Every row of a table whose first cell is a row id (`01`, `12b`, `S1`, `H01`, `P10` …). */
export function rowsOf(markdown: string): Row[] {
  const rows: Row[] = [];
  let header: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = [];
      continue;
    }
    const cells = cellsOf(line);
    if (header.length === 0) {
      header = cells;
      continue;
    }
    if (/^\|\s*-/.test(line)) continue;
    if (/^(\d{2}[a-z]?|[A-Z]\d{1,2})$/.test(cells[0]!)) rows.push({ id: cells[0]!, cells, header });
  }
  return rows;
}

function fullName(test: TestCase): string {
  return [...test.suites, test.title].map((t) => t ?? '…').join(' › ');
}

function startsWithId(title: string | undefined, id: string): boolean {
  return title !== undefined && new RegExp(`^${id}(?![0-9A-Za-z])`).test(title);
}

interface Reference {
  file: string;
  name: string;
}

/** The tests a "test" cell names; `previous` stands for a cell that says "same". */
export function referencesOf(cell: string, previous: Reference[]): Reference[] {
  const refs: Reference[] = [];
  let file: string | undefined;
  for (const part of cell.split(';').map((p) => p.trim())) {
    if (part === 'same' || part.startsWith('same ')) {
      refs.push(...previous);
      continue;
    }
    const match = /`([^`]*\.test\.ts)`\s*›\s*(.+)$/.exec(part) ?? (file ? /^()›\s*(.+)$/.exec(part) : null);
    if (match) {
      file = match[1] || file;
      // A parenthetical after the title says what the test covers; it is not part of the title.
      refs.push({ file: file!, name: match[2]!.replace(/\s*\([^)]*\)$/, '').trim() });
    }
  }
  return refs;
}

function matches(name: string, pattern: string): boolean {
  const pieces = pattern.split('…').map((p) => p.trim()).filter((p) => p.length > 0);
  const regex = new RegExp(pieces.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return regex.test(name);
}

describe('docs/BAD-INPUT.md', () => {
  const doc = readFileSync(DOC, 'utf8');
  const rows = rowsOf(doc);
  const files = testFiles();
  const allTests = files.flatMap((file) => testCases(file));

  it('has its rows (the parser reads the tables)', () => {
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['01', '12', '12b', '24b', '29', 'S1', 'S9', 'N1', 'O1', 'D1', 'I1', 'H01', 'H22', 'P01', 'P10']));
  });

  it('every numbered row has a test of its number in bad-input.test.ts', () => {
    const ours = testCases(BAD_INPUT_TESTS);
    const missing = rows.filter((r) => /^\d/.test(r.id)).filter((r) => !ours.some((t) => startsWithId(t.title, r.id)));
    expect(missing.map((r) => r.id)).toEqual([]);
  });

  it('every S, N, O, D and I row has a test titled by its id', () => {
    const missing = rows.filter((r) => /^[SNODI]\d/.test(r.id)).filter((r) => !allTests.some((t) => startsWithId(t.title, r.id)));
    expect(missing.map((r) => r.id)).toEqual([]);
  });

  it('every row with a test column names a test that exists', () => {
    const problems: string[] = [];
    let previous: Reference[] = [];
    for (const row of rows) {
      const column = row.header.findIndex((h) => h === 'test');
      if (column < 0) continue;
      const refs = referencesOf(row.cells[column] ?? '', previous);
      const testRefs = refs.length > 0 ? refs : [];
      if (testRefs.length === 0) problems.push(`${row.id}: names no test`);
      for (const ref of testRefs) {
        const inFile = files.filter((f) => (ref.file.includes('/') ? f.endsWith(`/${ref.file.replace(/^test\//, '')}`) : basename(f) === ref.file));
        if (inFile.length === 0) {
          problems.push(`${row.id}: no test file ${ref.file}`);
          continue;
        }
        const found = allTests.some((t) => inFile.includes(t.file) && matches(fullName(t), ref.name));
        if (!found) problems.push(`${row.id}: no test "${ref.name}" in ${inFile.map((f) => relative(TEST_ROOT, f)).join(', ')}`);
      }
      previous = refs;
    }
    expect(problems).toEqual([]);
  });

  it('the checks see a missing row: a document with a row no test names fails them', () => {
    const extra = rowsOf('| # | input |\n|---|---|\n| 99 | not tested |\n| S99 | neither |\n');
    expect(extra.map((r) => r.id)).toEqual(['99', 'S99']);
    const ours = testCases(BAD_INPUT_TESTS);
    expect(ours.some((t) => startsWithId(t.title, '99'))).toBe(false);
    expect(allTests.some((t) => startsWithId(t.title, 'S99'))).toBe(false);
    expect(referencesOf('`http-requests.test.ts` › no such test', [])).toEqual([{ file: 'http-requests.test.ts', name: 'no such test' }]);
    expect(allTests.some((t) => matches(fullName(t), 'no such test'))).toBe(false);
  });
});
