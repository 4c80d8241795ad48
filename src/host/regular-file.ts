import { constants, closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Reading a path the user or a page named, safely: opened without blocking (a FIFO would wait
 * for a writer forever), checked on the open descriptor (no race between a `stat` and the read),
 * refused unless it is a regular file (a device such as `/dev/zero` reports size 0 and never
 * ends), and read from that descriptor up to `limit` bytes only: one more byte than the limit means
 * the file is too large, whatever its size said a moment before.
 */

/** Why a path could not be read as a regular file. */
export class NotARegularFile extends Error {
  constructor(
    readonly reason: 'not-a-file' | 'too-large' | 'symbolic-link',
    message: string,
  ) {
    super(message);
  }
}

/** `O_NOFOLLOW` where the platform has it (not on Windows). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface RegularFileOptions {
  /** Most bytes to read; more is refused with reason `'too-large'`. */
  readonly limit: number;
  /** The limit's name in messages (e.g. the option that sets it). */
  readonly limitName?: string;
  /** Refuse a symbolic link as the last path component (`O_NOFOLLOW`). Default false. */
  readonly noFollow?: boolean;
  /** Checks the open file's stats before reading (e.g. its owner and mode); throw to refuse. */
  readonly check?: (stats: Stats) => void;
}

function what(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checked(path: string, stats: Stats, options: RegularFileOptions): void {
  if (!stats.isFile()) throw new NotARegularFile('not-a-file', `${path} is ${what(stats)}, not a regular file`);
  if (stats.size > options.limit) throw new NotARegularFile('too-large', `${path} is ${stats.size} bytes, over ${options.limitName ?? 'the limit of'} ${options.limit}`);
  options.check?.(stats);
}

function flags(options: RegularFileOptions): number {
  return READ_FLAGS | (options.noFollow === true ? NO_FOLLOW : 0);
}

function symlinkRefusal(path: string, error: unknown): unknown {
  return (error as NodeJS.ErrnoException).code === 'ELOOP' ? new NotARegularFile('symbolic-link', `${path} is a symbolic link`) : error;
}

/**
 * The bytes of the regular file at `path`, at most `options.limit` of them.
 * @throws {NotARegularFile} not a regular file, over the limit, or (with `noFollow`) a symbolic link; the file system's errors as they are
 */
export async function readRegularFile(path: string, options: RegularFileOptions): Promise<Buffer> {
  const handle = await open(path, flags(options)).catch((error: unknown) => {
    throw symlinkRefusal(path, error);
  });
  try {
    checked(path, await handle.stat(), options);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Never more than the limit + 1 in all: a file that grew past its size is refused, not read on.
      const room = Math.min(options.limit + 1 - total, 1024 * 1024);
      if (room <= 0) break;
      const chunk = Buffer.allocUnsafe(room);
      const { bytesRead } = await handle.read(chunk, 0, room, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > options.limit) throw new NotARegularFile('too-large', `${path} grew past the limit of ${options.limit} bytes while it was read`);
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** {@link readRegularFile}, synchronously. */
export function readRegularFileSync(path: string, options: RegularFileOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, flags(options));
  } catch (error) {
    throw symlinkRefusal(path, error);
  }
  try {
    checked(path, fstatSync(fd), options);
    const buffer = Buffer.allocUnsafe(options.limit + 1);
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, total, buffer.byteLength - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.limit) throw new NotARegularFile('too-large', `${path} grew past the limit of ${options.limit} bytes while it was read`);
    }
    return buffer.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}
