import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevError } from '../dev/errors.js';

/** The templates shipped in the package (dist/cli → ../../templates). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The template `init` writes without `--template` (and without a choice at the prompt). */
export const DEFAULT_TEMPLATE = 'vanilla';

/**
 * The templates `init --template` knows: the folders each is written from, in order (a later
 * folder's file wins), and the framework's name. The three framework templates share `_framework`
 * (host, contract, test, style).
 */
export const TEMPLATES = {
  vanilla: { folders: ['default'], framework: 'plain JavaScript, the HISE way' },
  react: { folders: ['_framework', 'react'], framework: 'React' },
  svelte: { folders: ['_framework', 'svelte'], framework: 'Svelte' },
  vue: { folders: ['_framework', 'vue'], framework: 'Vue' },
} as const satisfies Record<string, { folders: readonly string[]; framework: string }>;

export type TemplateName = keyof typeof TEMPLATES;

/** Whether `name` is a template `init` knows. */
export function isTemplateName(name: unknown): name is TemplateName {
  return typeof name === 'string' && Object.hasOwn(TEMPLATES, name);
}

/** Template files stored under another name, because npm would drop or act on the real one when packing. */
const RENAMED: Readonly<Record<string, string>> = { _gitignore: '.gitignore' };

/** Files whose text gets `{{name}}`, `{{version}}` and `{{dependency}}` replaced. */
const TEXT_WITH_PLACEHOLDERS = /\.(json|md|html|ts|tsx|js|svelte|vue)$/;

/** What the scaffold is made with. */
export interface ScaffoldOptions {
  /** The folder to write into (created when missing). */
  target: string;
  /** The package name written into package.json (and the page title). */
  name: string;
  /** The hise-webview version the project depends on. */
  version: string;
  /** The project's dependency on hise-webview (`file:<path>` or a range). @default `^${version}` */
  dependency?: string;
  /** @default 'vanilla' */
  template?: TemplateName;
}

/** What `scaffold` did: files written, and files that existed and were kept as they were. */
export interface ScaffoldResult {
  written: string[];
  kept: string[];
}

/**
 * Writes the template into `target`, never overwriting: a file that exists is kept (and reported),
 * whatever the caller allowed about a non-empty folder. Each file is created with the `wx` flag, so
 * even a file that appears meanwhile is not replaced.
 */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const template = options.template ?? DEFAULT_TEMPLATE;
  if (!isTemplateName(template)) throw new DevError('INVALID_ARGUMENT', `no template ${String(template)}: ${Object.keys(TEMPLATES).join(', ')}`);
  // Each destination from the last folder that has it.
  const sources = new Map<string, string>();
  for (const folder of TEMPLATES[template].folders) {
    const source = join(TEMPLATES_DIR, folder);
    const files = await listFiles(source).catch(() => {
      throw new DevError('INVALID_ARGUMENT', `no template folder ${folder} in ${TEMPLATES_DIR}`);
    });
    for (const file of files) sources.set(renamed(relative(source, file)), file);
  }
  const result: ScaffoldResult = { written: [], kept: [] };
  for (const [relativePath, file] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const destination = join(options.target, relativePath);
    const bytes = await readFile(file);
    const content = TEXT_WITH_PLACEHOLDERS.test(file) ? fillPlaceholders(bytes.toString('utf8'), options, template) : bytes;
    await mkdir(dirname(destination), { recursive: true });
    try {
      await writeFile(destination, content, { flag: 'wx' });
      result.written.push(relativePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.kept.push(relativePath);
    }
  }
  return result;
}

/**
 * Whether `folder` is empty enough to scaffold into without asking: missing, empty, or holding only
 * a `.git` folder (as create-vite decides).
 */
export async function isEmptyFolder(folder: string): Promise<boolean> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new DevError('TARGET_NOT_EMPTY', `${folder} is a file, not a folder`);
    throw error;
  });
  return entries.every((entry) => entry === '.git');
}

/** A valid npm package name made from a folder name: lower case, URL-safe characters, no leading dot or underscore. */
export function packageNameFrom(folderName: string): string {
  const name = folderName
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]+/, '')
    .replace(/[^a-z0-9~.-]+/g, '-');
  return name === '' ? 'hise-webview-app' : name;
}

/** Whether `name` is a valid npm package name (scoped or not). */
export function isValidPackageName(name: string): boolean {
  return name.length <= 214 && /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/.test(name);
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function renamed(relativePath: string): string {
  const parts = relativePath.split(/[\\/]/);
  const last = parts.pop()!;
  return join(...parts, RENAMED[last] ?? last);
}

function fillPlaceholders(text: string, options: ScaffoldOptions, template: TemplateName): string {
  const dependency = JSON.stringify(options.dependency ?? `^${options.version}`).slice(1, -1); // it goes into JSON
  return text
    .replaceAll('{{name}}', options.name)
    .replaceAll('{{version}}', options.version)
    .replaceAll('{{dependency}}', dependency)
    .replaceAll('{{template}}', template)
    .replaceAll('{{framework}}', TEMPLATES[template].framework);
}
