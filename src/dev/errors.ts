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
  /** A command-line argument that cannot be used. */
  | 'INVALID_ARGUMENT';

/** The one error class of the development tools; its message is meant to be printed as is, on one line. */
export class DevError extends Error {
  override readonly name = 'DevError';
  readonly code: DevErrorCode;

  constructor(code: DevErrorCode, message: string, details: { cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
  }
}

/** The first line of an error's message (what a one-line report shows), for any thrown value. */
export function firstLine(error: unknown): string {
  const plain = error instanceof DevError || (error instanceof Error && error.name === 'Error');
  const text = error instanceof Error ? `${plain ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split('\n', 1)[0] ?? '';
}
