import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CLASSES, firstDocLine, generateDocs } from '../../scripts/gen-docs.mjs';
import { DEFAULT_OPTIONS } from '../../src/host/options.js';

// docs/OPTIONS.md, docs/ERRORS.md and docs/LAYOUT.md are generated from the source (issue 20):
// this fails when one is stale, i.e. someone changed an option, a code or a file and not the doc.
const root = new URL('../../', import.meta.url);

describe('generated reference docs', () => {
  const docs = generateDocs();

  it.each(Object.keys(docs))('%s is what `npm run docs:gen` writes (run it after changing the source)', (path) => {
    expect(readFileSync(new URL(path, root), 'utf8')).toBe(docs[path]);
  });

  it('OPTIONS.md has a row for every option of DEFAULT_OPTIONS, with its unit', () => {
    const text = docs['docs/OPTIONS.md']!;
    for (const key of Object.keys(DEFAULT_OPTIONS)) expect(text).toMatch(new RegExp(`^\\| \`${key}\` \\|`, 'm'));
    expect(text).toMatch(/^\| `maxPayload` \| `number` \| 16 MiB \| bytes \|/m);
    expect(text).toMatch(/^\| `heartbeatInterval` \| `number` \| 15000 ms \| ms \|/m);
  });

  it('ERRORS.md has a section per error class and a row per code', () => {
    const text = docs['docs/ERRORS.md']!;
    for (const { className } of ERROR_CLASSES) expect(text).toContain(`## ${className}\n`);
    expect(text).toMatch(/^\| `INVALID_OPTION` \| An option with a value of the wrong kind or range/m);
    expect(text).toMatch(/^\| `TRUNCATED_HEADER` \| Fewer bytes than the fixed header/m);
    expect(text).not.toMatch(/^\| `[A-Z_]+` \|  \|$/m); // every code has a meaning
  });

  it("a file's doc line is its header comment's first sentence, else its first export's", () => {
    expect(firstDocLine('// The first. The second.\nimport x from "y";\n')).toBe('The first.');
    expect(firstDocLine('import x from "y";\n/** Internal, e.g. a constant. */\nconst a = 1;\n/** The {@link Thing} it exports. More. */\nexport const b = 2;\n')).toBe(
      'The `Thing` it exports.',
    );
    expect(firstDocLine('const a = 1;\n')).toBe('');
  });
});
