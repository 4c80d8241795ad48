import { CodedError } from '../protocol/coded-error.js';

/** Stable codes of what the test host refuses. */
export type TestHostErrorCode =
  /** Nothing matching arrived within the wait's timeout. */
  | 'TIMEOUT'
  /** `createTestHost` got an option it does not know (the message names the closest it does). */
  | 'INVALID_OPTION'
  /** The test host was closed while waiting, or before. */
  | 'CLOSED';

/** The error a test host's `next…` rejects with. */
export class TestHostError extends CodedError<TestHostErrorCode> {
  override readonly name = 'TestHostError';

  constructor(code: TestHostErrorCode, message: string) {
    super(code, message);
  }
}
