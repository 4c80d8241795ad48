// Prototype (not shipped): decodeMessage with an ASCII fast path for the id, measured against
// dist/protocol's decodeMessage by bench/archive/decode-in-chromium.mjs. Same checks, same results.
import { decodeMessage } from '/dist/protocol/index.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_FAST_ID = 32;

export function decodeFast(bytes) {
  const total = bytes.byteLength;
  if (total < 7) return decodeMessage(bytes); // the slow path throws the right ProtocolError
  const type = bytes[0];
  const idLength = bytes[1] | (bytes[2] << 8);
  const sizeOffset = 3 + idLength;
  if ((type !== 1 && type !== 2) || idLength === 0 || sizeOffset + 4 > total || bytes[sizeOffset - 1] !== 0) return decodeMessage(bytes);
  const size = (bytes[sizeOffset] | (bytes[sizeOffset + 1] << 8) | (bytes[sizeOffset + 2] << 16) | (bytes[sizeOffset + 3] << 24)) >>> 0;
  const dataOffset = sizeOffset + 4;
  if (size !== total - dataOffset || (type === 2 && size % 4 !== 0)) return decodeMessage(bytes);
  // Short ASCII ids (every stream id in practice) without a TextDecoder call.
  let id = '';
  const idBytes = idLength - 1;
  if (idBytes <= MAX_FAST_ID) {
    for (let i = 3; i < sizeOffset - 1; i++) {
      const b = bytes[i];
      if (b >= 0x80) {
        id = undefined;
        break;
      }
      id += String.fromCharCode(b);
    }
  } else id = undefined;
  if (id === undefined) id = strictDecoder.decode(bytes.subarray(3, sizeOffset - 1));
  if (type === 1) return { type, id, data: strictDecoder.decode(bytes.subarray(dataOffset)) };
  const start = bytes.byteOffset + dataOffset;
  const data = start % 4 === 0 ? new Float32Array(bytes.buffer, start, size / 4) : new Float32Array(bytes.buffer.slice(start, start + size));
  return { type, id, data };
}
