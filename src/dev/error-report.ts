import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstLine } from './errors.js';

/** A place in a source file; `line` and `column` count from 1, as editors and Node's stack traces do. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** What a developer needs to act on an error in their host module. */
export interface ErrorReport {
  /** `file:line:column: message` when the place is known, else the message. One line. */
  headline: string;
  /** The stack trimmed to the project's files, then a short code frame; `undefined` when there is nothing to add. */
  details: string | undefined;
  /** Whether the error points into the project's files (its place or a frame of its stack is there). */
  inProject: boolean;
}

/** Lines of source shown before and after the line of an error. */
const FRAME_CONTEXT_LINES = 2;
/** Stack frames of the project's own files shown at most. */
const MAX_STACK_FRAMES = 8;
/** How long `node --check` may take to find a syntax error's place. */
const SYNTAX_CHECK_TIMEOUT_MS = 10_000;
const JS_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/** The package's own code (dist/ or src/): its frames are noise in a user's stack. */
const PACKAGE_CODE = fileURLToPath(new URL('..', import.meta.url));

/**
 * Describes an error thrown while loading or running a host module: where (file:line:column), what
 * (the message), the stack trimmed to the project's files, and a short code frame.
 * @param candidates project files the module graph had reached: a JavaScript syntax error Node reports
 *   without its place is looked for in them with `node --check`
 */
export async function reportError(error: unknown, candidates: readonly string[] = []): Promise<ErrorReport> {
  const transform = transformError(error);
  const message = transform?.message ?? firstLine(error);
  const frames = userFrames(error);
  const location =
    transform?.location ??
    stackHeaderLocation(error) ??
    (isSyntaxError(error) && frames.length === 0 ? await checkSyntax(candidates) : undefined) ??
    frames[0]?.location;
  const thrownAt = frames[0]?.location;
  const headline =
    location !== undefined && location !== thrownAt ? `${displayPath(location.file)}:${location.line}:${location.column}: ${message}` : message;
  const parts: string[] = [];
  if (frames.length > 0) parts.push(frames.slice(0, MAX_STACK_FRAMES).map((frame) => `    at ${frame.text}`).join('\n'));
  const frame = location === undefined ? undefined : codeFrame(location);
  if (frame !== undefined) parts.push(frame);
  return { headline, details: parts.length === 0 ? undefined : parts.join('\n'), inProject: location !== undefined };
}

/**
 * A few lines of `location.file` around the line, the line marked with `>` and the column with `^`.
 * `undefined` when the file cannot be read or has no such line.
 */
export function codeFrame(location: SourceLocation, context = FRAME_CONTEXT_LINES): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(location.file, 'utf8').split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends a line, it does not start one
  } catch {
    return undefined;
  }
  if (location.line < 1 || location.line > lines.length) return undefined;
  const first = Math.max(1, location.line - context);
  const last = Math.min(lines.length, location.line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let number = first; number <= last; number++) {
    const marker = number === location.line ? '>' : ' ';
    out.push(`  ${marker} ${String(number).padStart(width)} | ${lines[number - 1]}`.trimEnd());
    if (number === location.line) {
      const before = (lines[number - 1] ?? '').slice(0, Math.max(0, location.column - 1)).replace(/[^\t]/g, ' ');
      out.push(`    ${' '.repeat(width)} | ${before}^`);
    }
  }
  return out.join('\n');
}

/** esbuild's (through tsx) `Transform failed with 1 error:\n/path/file.ts:2:12: ERROR: message`; its column counts from 0. */
function transformError(error: unknown): { location: SourceLocation; message: string } | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('Transform failed')) return undefined;
  const match = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(error.message);
  if (match === null) return undefined;
  return { location: { file: match[1]!, line: Number(match[2]), column: Number(match[3]) + 1 }, message: match[4]! };
}

/** Node's header on errors of linking and parsing: `/path/file.ts:1\n<source line>\n    ^`. */
function stackHeaderLocation(error: unknown): SourceLocation | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  const match = stack === undefined ? null : /^(.+?):(\d+)\n(.*)\n( *)\^/.exec(stack);
  if (match === null) return undefined;
  const file = toPath(match[1]!);
  return file === undefined ? undefined : { file, line: Number(match[2]), column: match[4]!.length + 1 };
}

/** For JavaScript files Node reports a syntax error without its place; `node --check` finds it. */
async function checkSyntax(files: readonly string[]): Promise<SourceLocation | undefined> {
  for (const file of files.filter((name) => JS_EXTENSIONS.has(extname(name)))) {
    const stderr = await new Promise<string>((resolve) => {
      execFile(process.execPath, ['--check', file], { timeout: SYNTAX_CHECK_TIMEOUT_MS }, (_error, _stdout, output) => resolve(String(output)));
    });
    const location = stackHeaderLocation(Object.assign(new Error(), { stack: stderr.replace(/^\s+/, '') }));
    if (location !== undefined) return location;
  }
  return undefined;
}

interface UserFrame {
  text: string;
  location: SourceLocation;
}

/** The frames of the error's stack in the project's own files (not Node's, not dependencies', not this package's). */
function userFrames(error: unknown): UserFrame[] {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frames: UserFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match === null) continue;
    const file = toPath(match[2]!);
    if (file === undefined || !isProjectFile(file)) continue;
    const location = { file, line: Number(match[3]), column: Number(match[4]) };
    const place = `${displayPath(file)}:${location.line}:${location.column}`;
    frames.push({ text: match[1] === undefined ? place : `${match[1]} (${place})`, location });
  }
  return frames;
}

/** A path from a stack or module URL (file: URLs, tsx's `?namespace=` queries); `undefined` for `node:` and data URLs. */
function toPath(where: string): string | undefined {
  const withoutQuery = where.replace(/\?.*$/, '');
  if (withoutQuery.startsWith('file:')) {
    try {
      return fileURLToPath(withoutQuery);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(withoutQuery) ? withoutQuery : undefined;
}

function isProjectFile(file: string): boolean {
  return !file.split(sep).includes('node_modules') && !file.startsWith(PACKAGE_CODE);
}

/** A path relative to the working directory when it is under it, else as it is. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function isSyntaxError(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.name === 'SyntaxError');
}
