import { describe, expect, it } from 'vitest';
import { ClientError } from '../../src/client/client-error.js';
import { DevError } from '../../src/dev/errors.js';
import { WebViewError } from '../../src/host/errors.js';
import { CallError } from '../../src/protocol/calls.js';
import { CodedError } from '../../src/protocol/coded-error.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { ParameterError } from '../../src/protocol/parameter-spec.js';
import { TestHostError } from '../../src/testing/errors.js';

// Issue 20: the seven error classes share one coded base; each keeps its own type and name.
describe('CodedError, the base of every error class', () => {
  const cause = new Error('underneath');
  const errors = [
    { error: new WebViewError('CLOSED', 'closed', { cause, data: 'raw' }), type: WebViewError, name: 'WebViewError', code: 'CLOSED' },
    { error: new ClientError('NO_PORT', 'no port'), type: ClientError, name: 'ClientError', code: 'NO_PORT' },
    { error: new ProtocolError('UNKNOWN_TYPE', 'unknown'), type: ProtocolError, name: 'ProtocolError', code: 'UNKNOWN_TYPE' },
    { error: new CallError('CALL_TIMEOUT', 'late'), type: CallError, name: 'CallError', code: 'CALL_TIMEOUT' },
    { error: new ParameterError('UNKNOWN_PARAMETER', 'who', 'gain'), type: ParameterError, name: 'ParameterError', code: 'UNKNOWN_PARAMETER' },
    { error: new DevError('CANCELLED', 'cancelled', { cause, details: 'line below' }), type: DevError, name: 'DevError', code: 'CANCELLED' },
    { error: new TestHostError('TIMEOUT', 'timeout'), type: TestHostError, name: 'TestHostError', code: 'TIMEOUT' },
  ] as const;
  const types = errors.map((entry) => entry.type);

  it.each(errors)('$name is an Error, a CodedError and its own class (and no other)', ({ error, type, name, code }) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toBeInstanceOf(type);
    for (const other of types) if (other !== type) expect(error instanceof other).toBe(false);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('carries cause and details only when given', () => {
    const web = new WebViewError('CLOSED', 'closed', { cause, data: 'raw' });
    expect(web.cause).toBe(cause);
    expect(web.data).toBe('raw');
    const dev = new DevError('CANCELLED', 'cancelled', { cause, details: 'line below' });
    expect(dev.cause).toBe(cause);
    expect(dev.details).toBe('line below');
    const bare = new ProtocolError('UNKNOWN_TYPE', 'unknown');
    expect('cause' in bare).toBe(false);
    expect('details' in bare).toBe(false);
    expect('data' in new WebViewError('CLOSED', 'closed')).toBe(false);
  });

  it('keeps a CallError rebuilt from the wire under the remote name', () => {
    const remote = new CallError('REMOTE_ERROR', 'boom', 'RangeError');
    expect(remote.name).toBe('RangeError');
    expect(remote).toBeInstanceOf(CodedError);
  });
});
