import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { WebViewError } from '../errors.js';
import { readRegularFileSync } from '../regular-file.js';

const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Files only this user may read, in a directory only this user may enter (the shared-port secret's
 * rule, SECURITY.md): a directory or file that another user owns, that others can open, or that is
 * a symbolic link is refused with `LAN_FILE_UNSAFE`, never used.
 */
export class PrivateDirectory {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The file's bytes, or undefined when it does not exist. @throws {WebViewError} `LAN_FILE_UNSAFE` */
  read(name: string, limit: number): Buffer | undefined {
    const file = join(this.path, name);
    return guarded(file, () => {
      this.#ensure();
      if (!exists(file)) return undefined;
      checkPrivate(lstatSync(file), file);
      return readRegularFileSync(file, { limit, noFollow: true, check: (stats) => checkPrivate(stats, file) });
    });
  }

  /** Writes the file whole (a temporary file renamed into place: never half a file). @throws {WebViewError} `LAN_FILE_UNSAFE` */
  write(name: string, data: string | Buffer): void {
    const file = join(this.path, name);
    guarded(file, () => {
      this.#ensure();
      const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(temporary, data, { mode: FILE_MODE, flag: 'wx' });
      try {
        renameSync(temporary, file);
      } catch (error) {
        unlinkSync(temporary);
        throw error;
      }
    });
  }

  #ensure(): void {
    mkdirSync(this.path, { recursive: true, mode: DIRECTORY_MODE });
    checkPrivate(lstatSync(this.path), this.path);
  }
}

function guarded<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WebViewError) throw error;
    throw new WebViewError('LAN_FILE_UNSAFE', `cannot use ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function checkPrivate(stats: Stats, path: string): void {
  if (stats.isSymbolicLink()) throw new WebViewError('LAN_FILE_UNSAFE', `${path} is a symbolic link`);
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) throw new WebViewError('LAN_FILE_UNSAFE', `${path} belongs to another user`);
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    throw new WebViewError('LAN_FILE_UNSAFE', `${path} is open to other users (mode ${(stats.mode & 0o777).toString(8)}; make it ${(stats.isDirectory() ? DIRECTORY_MODE : FILE_MODE).toString(8)})`);
  }
}
