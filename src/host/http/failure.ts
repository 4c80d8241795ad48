import type { WebViewErrorCode } from '../errors.js';

/**
 * A request the host answers with an error status (400 a target or Host it cannot parse, 416 a
 * Range outside the file, 500 its own failure). The HTTP guard sends `status` and reports `code`.
 */
export class HttpFailure extends Error {
  override readonly name = 'HttpFailure';

  constructor(
    readonly status: 400 | 416 | 500,
    readonly code: WebViewErrorCode,
    message: string,
    /** Headers the answer needs, e.g. `Content-Range: bytes *\/size` for 416. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
