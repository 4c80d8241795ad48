import { closeSync, constants, lstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { DevError } from '../dev/errors.js';
import type { DevLogger } from '../dev/log.js';
import type { SessionTapeOptions } from '../dev/session-tape.js';
import { readRecordingFile, WebViewError } from '../host/index.js';
import { RECORDING_MAGIC } from '../protocol/index.js';
import { parsePositiveInteger } from './arguments.js';

/** `serve`'s record and replay options, as cac parses them. */
export interface TapeArguments {
  host?: unknown;
  record?: unknown;
  recordMaxBytes?: unknown;
  replay?: unknown;
  mock?: unknown;
  /** With `--record`: overwrite an existing file that is not a recording (a symbolic link is replaced, never followed). */
  force?: unknown;
}

/**
 * `--record <file>`, `--record-max-bytes <n>`, `--replay <file>` (read now, so a bad file fails before
 * serving) and `--mock <module>` (only with `--replay`; `--module` is not, since a replay has no host).
 * `--record` refuses to overwrite what is not a recording (without `--force`), never follows a
 * symbolic link, and refuses anything but a regular file (a FIFO would block the recorder).
 * @throws {DevError} `INVALID_ARGUMENT`, `RECORDING_INVALID`
 */
export async function parseTape(options: TapeArguments, log: DevLogger): Promise<{ options: SessionTapeOptions; mock: string | undefined }> {
  const recordFile = fileArgument('record', options.record);
  const replayFile = fileArgument('replay', options.replay);
  const mock = fileArgument('mock', options.mock);
  const maxBytes = parsePositiveInteger('record-max-bytes', options.recordMaxBytes);
  if (replayFile !== undefined && options.host !== undefined) {
    throw new DevError('INVALID_ARGUMENT', '--replay serves with no host module: drop --module, or give the handlers that should answer as --mock <module>');
  }
  if (mock !== undefined && replayFile === undefined) throw new DevError('INVALID_ARGUMENT', '--mock answers a replay: use it with --replay <file>');
  if (maxBytes !== undefined && recordFile === undefined) throw new DevError('INVALID_ARGUMENT', '--record-max-bytes limits a recording: use it with --record <file>');
  const tape: SessionTapeOptions = {};
  if (recordFile !== undefined) {
    checkRecordTarget(resolve(recordFile), options.force === true);
    tape.record = { file: resolve(recordFile), maxBytes };
  }
  if (replayFile !== undefined) {
    try {
      tape.replay = await readRecordingFile(resolve(replayFile));
    } catch (error) {
      if (error instanceof WebViewError) throw new DevError('RECORDING_INVALID', error.message, { cause: error });
      const code = (error as { code?: string }).code ?? 'UNKNOWN';
      throw new DevError('RECORDING_INVALID', `${replayFile} cannot be replayed (${code}): ${(error as Error).message}`, { cause: error });
    }
    if (tape.replay.truncatedBytes > 0) {
      log.warn(`${replayFile} ends inside a record (${tape.replay.truncatedBytes} bytes, the recorder stopped mid-write): replaying its ${tape.replay.events.length} whole records`);
    }
  }
  return { options: tape, mock };
}

function fileArgument(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new DevError('INVALID_ARGUMENT', `--${name} needs a file`);
  return value;
}

/**
 * `--record FILE` may create FILE or overwrite a recording; anything else that exists there is
 * refused: a file that is not a recording (unless `force`), a symbolic link (replaced, not
 * followed, with `force`), a FIFO, a device or a folder (always).
 * @throws {DevError} `INVALID_ARGUMENT`
 */
function checkRecordTarget(file: string, force: boolean): void {
  let stats;
  try {
    stats = lstatSync(file);
  } catch {
    return; // nothing there: the recorder creates it
  }
  if (stats.isSymbolicLink()) {
    if (!force) throw new DevError('INVALID_ARGUMENT', `--record ${file} is a symbolic link: it is not followed; give another file, or --force to replace the link`);
    unlinkSync(file);
    return;
  }
  if (!stats.isFile()) throw new DevError('INVALID_ARGUMENT', `--record ${file} exists and is not a regular file (a folder, FIFO, socket or device)`);
  if (!force && !startsAsRecording(file)) throw new DevError('INVALID_ARGUMENT', `--record ${file} exists and is not a recording: not overwritten; give another file, or --force to overwrite it`);
}

function startsAsRecording(file: string): boolean {
  const head = Buffer.alloc(RECORDING_MAGIC.length);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && RECORDING_MAGIC.every((byte, i) => head[i] === byte);
  } finally {
    closeSync(fd);
  }
}
