import type { Command } from 'cac';
import { DevError } from '../dev/errors.js';
import { closestName } from '../dev/suggest.js';

/** Options every command takes (cac's own). */
const GLOBAL_OPTIONS = ['--help', '-h', '--version', '-v'];

/** Old option names kept as aliases, and what a typo close to one should be pointed at. */
const RENAMED: Readonly<Record<string, string>> = { '--host': '--module' };

/** The option names a command declares, as typed (`--allow-origin`, `-y`). */
function optionNames(command: Command): string[] {
  return command.options.flatMap((option) => option.rawName.match(/(?<![\w-])--?[a-z][\w-]*/gi) ?? []);
}

/**
 * Refuses an option `command` does not know, naming the closest one it does ("did you mean"),
 * before cac's own check (which only says "Unknown option").
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export function checkOptions(argv: readonly string[], command: Command, program: string): void {
  const known = new Set([...optionNames(command), ...GLOBAL_OPTIONS]);
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) continue;
    const name = arg.replace(/=.*$/, '');
    if (known.has(name) || (name.startsWith('--no-') && known.has(`--${name.slice(5)}`))) continue;
    if (!name.startsWith('--') && name.length > 2) continue; // -abc: short flags cac splits
    const close = closestName(name, known);
    const suggestion = close === undefined ? '' : ` (did you mean ${RENAMED[close] ?? close}?)`;
    throw new DevError('INVALID_ARGUMENT', `unknown option ${name}${suggestion}: see ${program} ${command.name} --help`);
  }
}

/**
 * An unknown command, with the closest known one.
 * @returns the error to throw
 */
export function unknownCommand(name: string, commands: readonly string[], program: string): DevError {
  const close = closestName(name, commands);
  return new DevError('INVALID_ARGUMENT', `unknown command ${name}${close === undefined ? '' : ` (did you mean ${close}?)`}: see ${program} --help`);
}

/** What each command needs when its required argument is missing. */
const USAGE: Readonly<Record<string, string>> = {
  serve: 'serve needs the folder of the webview (or its index.html): hise-webview serve ./webview [--module host.ts]',
};

/**
 * Refuses a command called without its required arguments, in our words (not the parser's).
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export function checkArguments(command: Command, args: readonly string[], program: string): void {
  const required = command.args.filter((arg) => arg.required).length;
  if (args.length >= required) return;
  const usage = USAGE[command.name] ?? `${command.name} needs ${required} argument${required === 1 ? '' : 's'}: ${command.rawName}`;
  throw new DevError('INVALID_ARGUMENT', `${usage} (see ${program} ${command.name} --help)`);
}
