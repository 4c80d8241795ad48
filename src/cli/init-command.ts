import { basename, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { DevError } from '../dev/errors.js';
import { DEFAULT_TEMPLATE, isEmptyFolder, isTemplateName, isValidPackageName, packageNameFrom, scaffold, TEMPLATES, type TemplateName } from './scaffold.js';
import { installSource, type InstallSource } from './install-source.js';
import { packageVersion } from './version.js';

/** The folder `init` writes into when none is given (and none is typed at the prompt). */
export const DEFAULT_TARGET = 'hise-webview-app';

/** The options of `hise-webview init`, as cac parses them. */
export interface InitOptions {
  name?: unknown;
  force?: boolean;
  yes?: boolean;
  template?: unknown;
}

/** How `init` asks: a terminal's prompts, or none (piped, CI, `--yes`). */
export interface Asker {
  /** Asks `question`, with `fallback` taken on an empty answer. */
  ask(question: string, fallback: string): Promise<string>;
  /** Asks to pick one of `choices` (the last question: the line prompts end before it). */
  choose(question: string, choices: readonly { value: string; label: string }[], fallback: string): Promise<string>;
  close(): void;
}

/**
 * `hise-webview init [dir]`: scaffolds a project into `dir` from a template: `vanilla` (a page written
 * the HISE way, typed host module, shared contract, Vite config, test), or `react`, `svelte`, `vue`
 * (a knob and a slider bound to parameters, a meter fed by a stream, a call, a test in Chromium). Asks only in an interactive terminal and without
 * `--yes`; every answer has a flag. Refuses a non-empty folder (`TARGET_NOT_EMPTY`) unless `--force`
 * (or a yes at the prompt), and even then never overwrites a file.
 */
export async function init(dir: string | undefined, options: InitOptions, asker: Asker | undefined = terminalAsker(options)): Promise<void> {
  try {
    const target = dir ?? (asker === undefined ? DEFAULT_TARGET : await asker.ask('Project folder', DEFAULT_TARGET));
    const folder = resolve(target);
    const name = await packageName(options.name, basename(folder), asker);
    if (!(await isEmptyFolder(folder)) && options.force !== true) {
      const proceed = asker !== undefined && /^y(es)?$/i.test(await asker.ask(`${target} is not empty. Add the files it lacks, keeping every existing file? (y/N)`, 'n'));
      if (!proceed) {
        throw new DevError('TARGET_NOT_EMPTY', `${target} is not empty: choose another folder, or pass --force to add the files it lacks (existing files are never overwritten)`);
      }
    }
    const template = await templateName(options.template, asker);
    const version = packageVersion();
    const source = await installSource(version);
    const result = await scaffold({ target: folder, name, version, dependency: source.spec, template });
    report(target, folder, result, source, template);
  } finally {
    asker?.close();
  }
}

/** `--template`, else the choice at the prompt, else vanilla. */
async function templateName(flag: unknown, asker: Asker | undefined): Promise<TemplateName> {
  if (flag !== undefined) {
    if (!isTemplateName(flag)) throw new DevError('INVALID_ARGUMENT', `--template must be one of ${Object.keys(TEMPLATES).join(', ')}, got ${JSON.stringify(flag)}`);
    return flag;
  }
  if (asker === undefined) return DEFAULT_TEMPLATE;
  const choices = Object.entries(TEMPLATES).map(([value, { framework }]) => ({ value, label: `${value} (${framework})` }));
  const answer = await asker.choose('Template', choices, DEFAULT_TEMPLATE);
  return isTemplateName(answer) ? answer : DEFAULT_TEMPLATE;
}

async function packageName(flag: unknown, folderName: string, asker: Asker | undefined): Promise<string> {
  if (typeof flag === 'number') flag = String(flag); // cac reads `--name 808` as a number
  if (flag !== undefined) {
    if (typeof flag !== 'string' || !isValidPackageName(flag)) {
      throw new DevError('INVALID_ARGUMENT', `--name must be a valid npm package name (lower case, no spaces), got ${JSON.stringify(flag)}`);
    }
    return flag;
  }
  const fallback = packageNameFrom(folderName);
  if (asker === undefined) return fallback;
  for (;;) {
    const answer = await asker.ask('Package name', fallback);
    if (isValidPackageName(answer)) return answer;
    console.log(`  ${JSON.stringify(answer)} is not a valid npm package name (lower case, no spaces)`);
  }
}

function report(target: string, folder: string, result: { written: string[]; kept: string[] }, source: InstallSource, template: TemplateName): void {
  console.log(`hise-webview: created ${result.written.length} files in ${target}`);
  console.log(`  hise-webview is installed from ${source.from} (package.json: "hise-webview": ${JSON.stringify(source.spec)})`);
  if (result.kept.length > 0) console.log(`  kept ${result.kept.length} existing (not overwritten): ${result.kept.join(', ')}`);
  const cd = relative(process.cwd(), folder);
  console.log('\nNext:');
  if (cd !== '') console.log(`  cd ${cd.includes(' ') ? JSON.stringify(cd) : cd}`);
  console.log('  npm install');
  if (template === 'vanilla') {
    console.log('  npm run serve    # the page with its host; open the printed URL');
    console.log('  npm test         # the host module against a real WebView');
    console.log('  npm run dev      # the same through Vite');
  } else {
    console.log('  npm run dev      # the page through Vite, with its host; open the printed URL');
    console.log('  npm test         # the built page in Chromium against a test host (CHROMIUM_PATH)');
  }
}

/** Prompts on the terminal when both ends are one and `--yes` was not given; else `undefined` (defaults and flags only). */
function terminalAsker(options: InitOptions): Asker | undefined {
  if (options.yes === true || !process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  // One line iterator for all questions, so answers typed ahead are kept for the next question.
  const lines = readline[Symbol.asyncIterator]();
  let cancelled = false;
  readline.on('SIGINT', () => {
    cancelled = true;
    readline.close();
  });
  return {
    async ask(question, fallback) {
      process.stdout.write(`${question} (${fallback}): `);
      const next = await lines.next();
      if (next.done === true || cancelled) {
        process.stdout.write('\n');
        throw new DevError('CANCELLED', 'cancelled: nothing was written');
      }
      const answer = next.value.trim();
      return answer === '' ? fallback : answer;
    },
    async choose(question, choices, fallback) {
      readline.close(); // @clack/prompts reads the terminal itself
      const { select, isCancel } = await import('@clack/prompts');
      const answer = await select({ message: question, options: choices.map((c) => ({ value: c.value, label: c.label })), initialValue: fallback });
      if (isCancel(answer)) throw new DevError('CANCELLED', 'cancelled: nothing was written');
      return answer;
    },
    close: () => readline.close(),
  };
}
