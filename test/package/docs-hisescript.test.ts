import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, type CodeBlock } from './doc-blocks.js';

// Issue 22: the HiseScript in our docs calls only what HISE registers. Every `receiver.method(` call
// in a HiseScript block of the README, docs/ and examples/ must be in docs/hise-api-names.json (with
// its source), with the number of arguments HISE requires.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OBJECTS = new Set(['Content', 'Engine', 'Math', 'Console']);

interface Names {
  [receiver: string]: { methods: Record<string, number> };
}

async function markdownFiles(): Promise<string[]> {
  const docs = (await readdir(join(ROOT, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  const examples = (await readdir(join(ROOT, 'examples'), { recursive: true })).filter((name) => name.endsWith('.md')).map((name) => `examples/${name}`);
  return ['README.md', 'PROTOCOL.md', ...docs, ...examples];
}

/** A HiseScript block: marked so, or written in HiseScript's own syntax (`const var`, `inline function`, `Content.`). */
function isHiseScript(block: CodeBlock, marker: string): boolean {
  return /hisescript/i.test(marker) || /\bconst var\b|\binline function\b|\bContent\.\w+\(/.test(block.body);
}

/** The arguments of the call whose `(` is at `open`: top-level commas counted (strings, brackets skipped). */
function argumentCount(text: string, open: number): number {
  let depth = 0;
  let commas = 0;
  let empty = true;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      i = end === -1 ? text.length : end;
      empty = false;
    } else if ('([{'.includes(c)) {
      depth++;
      empty = false;
    } else if (')]}'.includes(c)) {
      if (depth === 0) return empty ? 0 : commas + 1;
      depth--;
    } else if (c === ',' && depth === 0) commas++;
    else if (!/\s/.test(c)) empty = false;
  }
  throw new Error('a call that never closes');
}

/** Every `receiver.method(` call of a HiseScript text (comments removed), as `Receiver.method/arguments`. */
export function hiseScriptCalls(text: string): { receiver: string; method: string; args: number }[] {
  const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const calls: { receiver: string; method: string; args: number }[] = [];
  for (const match of code.matchAll(/([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*)*)\.([A-Za-z_$][\w$]*)\s*\(/g)) {
    const receiver = OBJECTS.has(match[1]!) && match[2] === '' ? match[1]! : 'ScriptWebView';
    calls.push({ receiver, method: match[3]!, args: argumentCount(code, match.index + match[0].length - 1) });
  }
  return calls;
}

describe('HiseScript in the docs calls only what HISE registers (docs/hise-api-names.json)', () => {
  it('the checker sees receivers, methods and argument counts, and skips comments', () => {
    expect(hiseScriptCalls('wv.callFunction("init", f(1, 2)); // wv.nope(1)\nContent.addWebView("wv", 0, 0); x.y.z({ "a": 1, "b": [1, 2] });')).toEqual([
      { receiver: 'ScriptWebView', method: 'callFunction', args: 2 },
      { receiver: 'Content', method: 'addWebView', args: 3 },
      { receiver: 'ScriptWebView', method: 'z', args: 1 },
    ]);
  });

  it('every call in every HiseScript block is listed, with its number of arguments', async () => {
    const names = JSON.parse(await readFile(join(ROOT, 'docs/hise-api-names.json'), 'utf8')) as Names;
    const problems: string[] = [];
    let blocks = 0;
    for (const file of await markdownFiles()) {
      const markdown = await readFile(join(ROOT, file), 'utf8');
      const lines = markdown.split('\n');
      for (const block of codeBlocks(relative(ROOT, join(ROOT, file)), markdown)) {
        if (!isHiseScript(block, lines[block.line - 2] ?? '')) continue;
        blocks++;
        for (const call of hiseScriptCalls(block.body)) {
          const wanted = names[call.receiver]?.methods[call.method];
          if (wanted === undefined) problems.push(`${file}:${block.line}: ${call.receiver}.${call.method} is not in docs/hise-api-names.json`);
          else if (wanted !== call.args) problems.push(`${file}:${block.line}: ${call.receiver}.${call.method} takes ${wanted} arguments in HISE, called with ${call.args}`);
        }
      }
    }
    expect(blocks).toBeGreaterThanOrEqual(2); // docs/HISE.md and docs/PARAMETERS.md at least
    expect(problems).toEqual([]);
  });
});
