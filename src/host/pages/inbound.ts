import { interpretPageText, ProtocolError, readFloat32 } from '../../protocol/index.js';
import { WebViewError } from '../errors.js';

/**
 * Turns one message from a page using HISE's format (PROTOCOL.md §2) into what
 * `setWebSocketCallback` receives: text as a string or parsed JSON, binary as a `Float32Array`.
 * @throws {WebViewError} `INVALID_JSON` or `INVALID_FLOAT_PAYLOAD`, carrying the raw data
 */
export function decodePageMessage(data: Buffer, isBinary: boolean): unknown {
  if (!isBinary) {
    const text = data.toString('utf8'); // ws has already refused text frames that are not UTF-8
    try {
      return interpretPageText(text);
    } catch (error) {
      throw new WebViewError('INVALID_JSON', (error as Error).message, { cause: error, data: text });
    }
  }
  try {
    return readFloat32(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    throw new WebViewError('INVALID_FLOAT_PAYLOAD', error.message, { cause: error, data: new Uint8Array(data) });
  }
}
