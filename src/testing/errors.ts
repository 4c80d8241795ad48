/** Stable codes of what the test host refuses. */
export type TestHostErrorCode =
  /** Nothing matching arrived within the wait's timeout. */
  | 'TIMEOUT'
  /** The test host was closed while waiting, or before. */
  | 'CLOSED';

/** The error a test host's `next…` rejects with. */
export class TestHostError extends Error {
  override readonly name = 'TestHostError';
  readonly code: TestHostErrorCode;

  constructor(code: TestHostErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
