import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../init/project.js';
import { allCodeBlocks } from './doc-blocks.js';

// A guide's code block marked `<!-- fragment: from templates/… -->` is taken from that template
// file, word for word: the template's own test (test/init/templates-e2e.test.ts) runs it, so the
// guide cannot drift from code that is tested.

describe('code blocks taken from the templates', () => {
  it('appear word for word in the template file they name', async () => {
    const blocks = await allCodeBlocks(REPO);
    const markers = await Promise.all(blocks.map(async (block) => [block, await marker(block.file, block.line)] as const));
    const quoted = markers.filter(([, from]) => from !== undefined);
    expect(quoted.length).toBeGreaterThan(8);
    for (const [block, from] of quoted) {
      const source = await readFile(join(REPO, from!), 'utf8');
      expect(source.includes(block.body), `${block.file}:${block.line} is not in ${from}`).toBe(true);
    }
  });
});

/** The template file a fragment marker names, if it names one. */
async function marker(file: string, line: number): Promise<string | undefined> {
  const lines = (await readFile(join(REPO, file), 'utf8')).split('\n');
  return /^<!-- fragment: from (templates\/\S+) -->$/.exec(lines[line - 2]!.trim())?.[1];
}
