import { CodedError } from '../protocol/coded-error.js';

/** Stable codes of what the test host refuses. */
export type TestHostErrorCode =
  /** Nothing matching arrived within the wait's timeout. */
  | 'TIMEOUT'
  /** `createTestHost` got an option it does not know (the message names the closest it does). */
  | 'INVALID_OPTION'
  /** The test host was closed while waiting, or before. */
  | 'CLOSED'
  /** `expectAccessible`: axe-core found violations (the message lists each rule and the selectors of its elements). */
  | 'NOT_ACCESSIBLE'
  /** `expectAccessible`: axe-core is not installed (a dev dependency of the project: `npm install --save-dev axe-core`). */
  | 'NO_AXE'
  /** `expectAccessibleNode`: no node of the accessibility tree matched (the message lists the nodes of that role). */
  | 'NO_SUCH_NODE';

/** The error a test host's `next…` rejects with, and the accessibility checks' (`expectAccessible`, `expectAccessibleNode`). */
export class TestHostError extends CodedError<TestHostErrorCode> {
  override readonly name = 'TestHostError';

  constructor(code: TestHostErrorCode, message: string) {
    super(code, message);
  }
}
