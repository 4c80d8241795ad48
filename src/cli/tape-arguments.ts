import { resolve } from 'node:path';
import { DevError } from '../dev/errors.js';
import type { DevLogger } from '../dev/log.js';
import type { SessionTapeOptions } from '../dev/session-tape.js';
import { readRecordingFile, WebViewError } from '../host/index.js';
import { parsePositiveInteger } from './arguments.js';

/** `serve`'s record and replay options, as cac parses them. */
export interface TapeArguments {
  host?: unknown;
  record?: unknown;
  recordMaxBytes?: unknown;
  replay?: unknown;
  mock?: unknown;
}

/**
 * `--record <file>`, `--record-max-bytes <n>`, `--replay <file>` (read now, so a bad file fails before
 * serving) and `--mock <module>` (only with `--replay`; `--module` is not, since a replay has no host).
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
  if (recordFile !== undefined) tape.record = { file: resolve(recordFile), maxBytes };
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
