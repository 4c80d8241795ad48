import { ProtocolError } from '../../src/protocol/index.js';

/** The `ProtocolError` code `run` throws, `undefined` when it returns; anything else it throws is rethrown (a test failure). */
export function protocolCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return undefined;
}
