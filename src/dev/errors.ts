import { CodedError } from '../protocol/coded-error.js';

/** Stable codes of what the development tools (CLI, Vite plugin) report. */
export type DevErrorCode =
  /** The webview root (a folder, or its index.html) does not exist. */
  | 'ROOT_NOT_FOUND'
  /** The `--host` module file does not exist. */
  | 'HOST_MODULE_NOT_FOUND'
  /** The host module exports no function to run. */
  | 'HOST_MODULE_INVALID'
  /** The host module threw (or rejected) while loading or running its function. */
  | 'HOST_MODULE_FAILED'
  /** A host module needs tsx (an optional peer dependency), which is not installed. */
  | 'TSX_NOT_INSTALLED'
  /** `init` was pointed at a folder that is not empty (without `--force`), or could not write. */
  | 'TARGET_NOT_EMPTY'
  /** A prompt was answered with Ctrl+C or Ctrl+D (end of input). */
  | 'CANCELLED'
  /** A Vite plugin option (or inspector option) it does not know (the message names the closest it does). */
  | 'INVALID_OPTION'
  /** A command-line argument that cannot be used. */
  | 'INVALID_ARGUMENT'
  /** A `--replay` file that cannot be read or is not a whole recording (the message names the protocol code). */
  | 'RECORDING_INVALID';

/**
 * The one error class of the development tools. Its message is one line, meant to be printed as
 * is; `details` (a trimmed stack, a code frame) go on the lines below it.
 */
export class DevError extends CodedError<DevErrorCode, string> {
  override readonly name = 'DevError';
  /** Lines to print below the message, or `undefined`. */
  declare readonly details?: string;

  constructor(code: DevErrorCode, message: string, options: { cause?: unknown; details?: string | undefined } = {}) {
    super(code, message, options);
  }
}

/** The message and, for a `DevError` that has them, its details on the lines below. */
export function withDetails(error: unknown): string {
  const line = error instanceof Error ? error.message : String(error);
  return error instanceof DevError && error.details !== undefined ? `${line}\n${error.details}` : line;
}

/** The first line of an error's message (what a one-line report shows), for any thrown value. */
export function firstLine(error: unknown): string {
  const plain = error instanceof DevError || (error instanceof Error && error.name === 'Error');
  const text = error instanceof Error ? `${plain ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split('\n', 1)[0] ?? '';
}
