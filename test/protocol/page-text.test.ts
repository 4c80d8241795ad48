import { describe, expect, it } from 'vitest';
import { interpretPageText, ProtocolError } from '../../src/protocol/index.js';

describe('interpretPageText', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['  \n\t[1,2]', [1, 2]],
    ['hello', 'hello'],
    ['', ''],
    ['   ', '   '],
    ['1', '1'],
    ['"quoted"', '"quoted"'],
    ['x{"a":1}', 'x{"a":1}'],
  ])('%j → %j', (input, expected) => {
    expect(interpretPageText(input)).toEqual(expected);
  });

  it.each(['{', '[1,', '{a:1}', ' {"a":}'])('%j is INVALID_JSON', (input) => {
    try {
      interpretPageText(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe('INVALID_JSON');
    }
  });
});
