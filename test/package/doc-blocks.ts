// The code blocks of the README and the docs/ guides, each marked by the line before it:
// `<!-- recipe:NAME -->` (run as pasted by readme-recipes.test.ts) or `<!-- fragment: why -->`.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * docs/*.md files that are not guides of the README's three layers, or that other work owns and
 * generates (the option, error and layout references): their code blocks are not recipes.
 */
export const NOT_GUIDES = new Set(['BAD-INPUT.md', 'OPTIONS.md', 'ERRORS.md', 'LAYOUT.md', 'ARCHITECTURE.md', 'TROUBLESHOOTING.md']);

export interface CodeBlock {
  /** The file, relative to the repository: `README.md`, `docs/CLI.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** `recipe`, `fragment`, or `unmarked`. */
  kind: 'recipe' | 'fragment' | 'unmarked';
  /** A recipe's name. */
  name?: string;
  /** The block's text, without its fences. */
  body: string;
}

const FENCE = /^```/;
const RECIPE = /^<!-- recipe:([\w-]+) -->$/;
const FRAGMENT = /^<!-- fragment(?::[^>]*)? -->$/;

/** Every fenced code block of one Markdown text, with the marker on the line right before it. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i]!)) continue;
    const start = i;
    const end = lines.findIndex((line, j) => j > start && FENCE.test(line));
    if (end === -1) throw new Error(`${file}:${start + 1}: a code block that never closes`);
    const marker = (lines[start - 1] ?? '').trim();
    const recipe = RECIPE.exec(marker);
    const kind = recipe !== null ? 'recipe' : FRAGMENT.test(marker) ? 'fragment' : 'unmarked';
    blocks.push({ file, line: start + 1, kind, ...(recipe ? { name: recipe[1]! } : {}), body: `${lines.slice(start + 1, end).join('\n')}\n` });
    i = end;
  }
  return blocks;
}

/** The README and every guide in docs/ (not the generated reference, not NOT_GUIDES). */
export async function documentationFiles(repoRoot: string): Promise<string[]> {
  const guides = (await readdir(join(repoRoot, 'docs'))).filter((name) => name.endsWith('.md') && !NOT_GUIDES.has(name)).sort();
  return ['README.md', ...guides.map((name) => `docs/${name}`)];
}

/** Every code block of the README and the guides. */
export async function allCodeBlocks(repoRoot: string): Promise<CodeBlock[]> {
  const files = await documentationFiles(repoRoot);
  const texts = await Promise.all(files.map((file) => readFile(join(repoRoot, file), 'utf8')));
  return files.flatMap((file, i) => codeBlocks(file, texts[i]!));
}
