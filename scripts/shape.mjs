// `npm run shape`: the code's shape, measured (issue 20). Prints the largest files in src/, the two
// facades' sizes and public members, and the names each package entry exports; `--check` exits 1
// when a rule below is broken (test/package/shape.test.ts runs it so).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The rules `--check` enforces. */
export const RULES = Object.freeze({
  /** No file in src/ over this many lines … */
  maxFileLines: 400,
  /** … except data tables, which are long by nature (generated lists, not code). */
  exempt: Object.freeze(['src/protocol/window-names.ts']),
  /** The facades: the class users call, composing capability modules; each at most so many lines. */
  facades: Object.freeze({ 'src/host/web-view.ts': { className: 'WebView', maxLines: 300 }, 'src/client/connect.ts': { className: 'HiseClient', maxLines: 400 } }),
  /** Names an entry may export (values and types together), per package.json export. */
  maxExports: Object.freeze({ './protocol': 80 }),
});

/** Every .ts file under src/ with its line count, largest first. */
export function sourceFiles(root = ROOT) {
  const files = [];
  for (const entry of readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = relative(root, join(entry.parentPath ?? entry.path, entry.name)).split('\\').join('/');
    files.push({ path, lines: lineCount(readFileSync(join(root, path), 'utf8')) });
  }
  return files.sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));
}

function lineCount(text) {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The package's typed entries: `./protocol` → its source file (dist/x/y.d.ts is built from src/x/y.ts). */
export function packageEntries(root = ROOT) {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entries = [];
  for (const [name, target] of Object.entries(exports)) {
    const types = typeof target === 'object' ? target.types : undefined;
    if (types === undefined) continue;
    entries.push({ name, source: types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts') });
  }
  return entries;
}

/** One program over the entries and facades (TypeScript's compiler API; nothing is emitted). */
function program(root, paths) {
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, noEmit: true, types: ['node'] };
  return ts.createProgram(paths.map((p) => join(root, p)), options);
}

/** Names each entry exports: values (what `import *` has at run time) and types. */
export function exportCounts(root = ROOT) {
  const entries = packageEntries(root);
  const prog = program(root, entries.map((e) => e.source));
  const checker = prog.getTypeChecker();
  return entries.map(({ name, source }) => {
    const file = prog.getSourceFile(join(root, source));
    const symbol = file && checker.getSymbolAtLocation(file);
    let values = 0;
    let types = 0;
    for (const exported of symbol ? checker.getExportsOfModule(symbol) : []) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (target.flags & ts.SymbolFlags.Value) values++;
      else types++;
    }
    return { name, source, values, types, total: values + types };
  });
}

/** A facade's size: its lines and its class's public members (no `#private`, `private` or `protected`). */
export function facadeSizes(root = ROOT) {
  const prog = program(root, Object.keys(RULES.facades));
  return Object.entries(RULES.facades).map(([path, { className, maxLines }]) => {
    const file = prog.getSourceFile(join(root, path));
    const text = readFileSync(join(root, path), 'utf8');
    let members = 0;
    ts.forEachChild(file, (node) => {
      if (!ts.isClassDeclaration(node) || node.name?.text !== className) return;
      for (const member of node.members) {
        if (ts.isConstructorDeclaration(member) || ts.isClassStaticBlockDeclaration(member) || ts.isIndexSignatureDeclaration(member)) continue;
        if (member.name && ts.isPrivateIdentifier(member.name)) continue;
        const modifiers = ts.getCombinedModifierFlags(member);
        if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        members++;
      }
    });
    return { path, className, lines: lineCount(text), maxLines, publicMembers: members };
  });
}

/** Every broken rule, as a sentence; empty when the shape holds. */
export function problems({ files, facades, exports }) {
  const found = [];
  for (const { path, lines } of files) {
    if (lines > RULES.maxFileLines && !RULES.exempt.includes(path)) found.push(`${path}: ${lines} lines (at most ${RULES.maxFileLines})`);
  }
  for (const { path, lines, maxLines } of facades) if (lines > maxLines) found.push(`${path} (facade): ${lines} lines (at most ${maxLines})`);
  for (const { name, total } of exports) {
    const max = RULES.maxExports[name];
    if (max !== undefined && total > max) found.push(`hise-webview${name.slice(1)}: ${total} exported names (at most ${max})`);
  }
  return found;
}

/** Everything `npm run shape` measures. */
export function measure(root = ROOT) {
  const shape = { files: sourceFiles(root), facades: facadeSizes(root), exports: exportCounts(root) };
  return { ...shape, problems: problems(shape) };
}

function main() {
  const check = process.argv.includes('--check');
  const { files, facades, exports, problems: found } = measure();
  const top = files.slice(0, 15);
  const width = Math.max(...top.map((f) => f.path.length));
  console.log(`Largest files in src/ (${files.length} files, ${files.reduce((n, f) => n + f.lines, 0)} lines; rule: at most ${RULES.maxFileLines}, exempt: ${RULES.exempt.join(', ')})`);
  for (const { path, lines } of top) console.log(`  ${path.padEnd(width)} ${String(lines).padStart(5)}${lines > RULES.maxFileLines && !RULES.exempt.includes(path) ? '  over' : ''}`);
  console.log('\nFacades');
  for (const f of facades) console.log(`  ${f.path} (${f.className}): ${f.lines} lines (at most ${f.maxLines}), ${f.publicMembers} public members`);
  console.log('\nExported names per entry (values + types)');
  for (const e of exports) {
    const max = RULES.maxExports[e.name];
    console.log(`  hise-webview${e.name.slice(1).padEnd(12)} ${String(e.total).padStart(4)} = ${e.values} values + ${e.types} types${max === undefined ? '' : ` (at most ${max})`}   ${e.source}`);
  }
  if (found.length > 0) {
    console.log(`\n${found.length} rule${found.length === 1 ? '' : 's'} broken:\n${found.map((p) => `  ${p}`).join('\n')}`);
    if (check) process.exitCode = 1;
  } else console.log('\nEvery rule holds.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
