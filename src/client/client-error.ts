import { CodedError } from '../protocol/coded-error.js';

/** Stable codes of what the modern client refuses before it connects. */
export type ClientErrorCode =
  /** A `connect` option of the wrong kind or out of range, or one it does not know. */
  | 'INVALID_OPTION'
  /** No `url` or `port`, and the page has no hise-webview bridge to learn the port from. */
  | 'NO_PORT'
  /** A worker client feature that needs what this page lacks: `Worker`, `OffscreenCanvas`, or cross-origin isolation (`SharedArrayBuffer` rings). */
  | 'NOT_AVAILABLE';

/** What `connect()` throws at once for options it cannot use (instead of retrying a bad URL forever). */
export class ClientError extends CodedError<ClientErrorCode> {
  override readonly name = 'ClientError';

  constructor(code: ClientErrorCode, message: string) {
    super(code, message);
  }
}
