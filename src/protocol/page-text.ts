import { ProtocolError } from './errors.js';

/**
 * What a text message from a page means (PROTOCOL.md §2): text whose first non-blank character is
 * `{` or `[` is JSON; anything else is a plain string.
 * @throws {ProtocolError} `INVALID_JSON` when it looks like JSON but does not parse
 */
export function interpretPageText(text: string): unknown {
  if (!looksLikeJson(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProtocolError('INVALID_JSON', `text starting with '${text.trimStart()[0]}' is not valid JSON: ${(error as Error).message}`);
  }
}

function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // JSON's own whitespace: space, tab, line feed, carriage return.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b /* { */ || c === 0x5b /* [ */;
  }
  return false;
}
