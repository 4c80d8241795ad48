import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { DevError } from '../dev/errors.js';
import type { DevLogger } from '../dev/log.js';

/** The environment variable `serve` reads its token from when no flag names one. */
export const TOKEN_ENV = 'HISE_WEBVIEW_TOKEN';

/** Where `serve`'s token came from. */
export type TokenSource = 'auto' | 'none' | 'file' | 'env' | 'argument';

/** The token a host gets (`'auto'`: random per launch; `undefined`: none) and where it came from. */
export interface ResolvedToken {
  token: string | undefined;
  source: TokenSource;
}

/**
 * `serve`'s token, from (first match): `--token-file <file>` (read; created with a random token,
 * mode 0600, when missing), `--token auto|none|<secret>`, the `HISE_WEBVIEW_TOKEN` environment
 * variable, else `auto`. A secret written on the command line works but warns: other local users
 * see it in the process list.
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export async function resolveToken(flags: { token?: unknown; tokenFile?: unknown }, log: DevLogger, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedToken> {
  if (flags.tokenFile !== undefined) {
    if (flags.token !== undefined) throw new DevError('INVALID_ARGUMENT', '--token and --token-file both name a token: give one');
    if (typeof flags.tokenFile !== 'string' || flags.tokenFile === '') throw new DevError('INVALID_ARGUMENT', '--token-file needs a file');
    return { token: await tokenFromFile(flags.tokenFile, log), source: 'file' };
  }
  if (flags.token !== undefined) {
    const value = flags.token;
    if (value === 'auto') return { token: 'auto', source: 'auto' };
    if (value === 'none') return { token: undefined, source: 'none' };
    if (typeof value === 'number') return fromArgument(String(value), log); // cac reads digits as a number
    if (typeof value !== 'string' || value === '') throw new DevError('INVALID_ARGUMENT', `--token needs a value: auto, none, or a secret (better: --token-file <file> or ${TOKEN_ENV})`);
    return fromArgument(value, log);
  }
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { token: fromEnv.trim(), source: 'env' };
  return { token: 'auto', source: 'auto' };
}

function fromArgument(token: string, log: DevLogger): ResolvedToken {
  log.warn(`a --token secret on the command line is visible to other users of this machine (process list): prefer --token-file <file> or ${TOKEN_ENV}`);
  return { token, source: 'argument' };
}

async function tokenFromFile(file: string, log: DevLogger): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DevError('INVALID_ARGUMENT', `--token-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const token = randomBytes(24).toString('base64url');
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    log.info(`wrote a new random token to ${file} (mode 0600): pages that do not get it from the host read it from there`);
    return token;
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) throw new DevError('INVALID_ARGUMENT', `--token-file ${file} must hold one token (no spaces), got ${token === '' ? 'an empty file' : 'several words'}`);
  if (process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0) {
    log.warn(`${file} can be read by other users: chmod 600 ${file}`);
  }
  return token;
}
