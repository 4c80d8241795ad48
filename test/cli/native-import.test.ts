import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A JavaScript host module without tsx: Node imports it itself, a new generation each time, with
// the project files it reaches (to watch them) and their new versions after an edit. Run in a
// plain Node process: the importer's hooks (node:module register) act on Node's own loader, which
// the test runner's module runner bypasses.

const IMPORTER = pathToFileURL(fileURLToPath(new URL('../../dist/dev/fresh-import.js', import.meta.url))).href;

const SCRIPT = `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FreshImporter } from ${JSON.stringify(IMPORTER)};
const importer = new FreshImporter(process.cwd(), { useTsx: false });
for (const value of ['first', 'second', 'third']) {
  writeFileSync('lib/dep.mjs', 'export const value = ' + JSON.stringify(value) + ';\\n');
  const { exports, files } = await importer.import(join(process.cwd(), 'host.mjs'));
  console.log(JSON.stringify({ value: exports.default(), files: files.sort() }));
}
const failure = await importer.import(join(process.cwd(), 'broken.mjs')).catch((error) => error);
console.log(JSON.stringify({ failed: failure.message, files: failure.files }));
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-native-import-'));
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'native', version: '1.0.0', type: 'module' }));
  await writeFile(join(dir, 'host.mjs'), "import { value } from './lib/dep.mjs';\nexport default function host() { return value; }\n");
  await writeFile(join(dir, 'broken.mjs'), "import { missing } from './lib/dep.mjs';\nexport default missing;\n");
  await writeFile(join(dir, 'run.mjs'), SCRIPT);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FreshImporter without tsx (Node imports the module itself)', () => {
  it('imports an .mjs module and the ESM files it imports afresh each time, names them, and names them when it fails', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['run.mjs'], { cwd: dir });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const files = [join(dir, 'host.mjs'), join(dir, 'lib/dep.mjs')].sort();
    expect(lines.slice(0, 3)).toEqual(['first', 'second', 'third'].map((value) => ({ value, files })));
    expect(lines[3]!.failed).toMatch(/does not provide an export named 'missing'/);
    expect(lines[3]!.files).toEqual(expect.arrayContaining([join(dir, 'broken.mjs'), join(dir, 'lib/dep.mjs')]));
  });
});
