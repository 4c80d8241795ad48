/** Stable codes of what the modern client refuses before it connects. */
export type ClientErrorCode =
  /** A `connect` option of the wrong kind or out of range, or one it does not know. */
  | 'INVALID_OPTION'
  /** No `url` or `port`, and the page has no hise-webview bridge to learn the port from. */
  | 'NO_PORT';

/** What `connect()` throws at once for options it cannot use (instead of retrying a bad URL forever). */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
