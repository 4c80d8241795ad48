import { Layout, PLATFORM_IS_LITTLE_ENDIAN } from './constants.js';
import { ProtocolError } from './errors.js';

/**
 * Reads little-endian float32 samples. Returns a zero-copy view when the bytes start on a 4-byte
 * boundary of their buffer, otherwise one copy (a `Float32Array` view cannot be unaligned).
 * @throws {ProtocolError} `FLOAT_SIZE_NOT_MULTIPLE_OF_4`
 */
export function readFloat32(bytes: Uint8Array): Float32Array {
  const byteLength = bytes.byteLength;
  if (byteLength % Layout.FLOAT32_BYTES !== 0) {
    throw new ProtocolError(
      'FLOAT_SIZE_NOT_MULTIPLE_OF_4',
      `float32 data of ${byteLength} bytes is not a multiple of ${Layout.FLOAT32_BYTES}`,
    );
  }
  if (!PLATFORM_IS_LITTLE_ENDIAN) return readFloat32Swapped(bytes);
  const length = byteLength / Layout.FLOAT32_BYTES;
  if (bytes.byteOffset % Layout.FLOAT32_BYTES === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  }
  const copy = new Float32Array(length);
  new Uint8Array(copy.buffer).set(bytes); // not bytes.slice(): on a Node Buffer that is a view
  return copy;
}

/** Writes `samples` little-endian into `target` at `offset` (one copy). */
export function writeFloat32(samples: Float32Array, target: Uint8Array, offset: number): void {
  if (PLATFORM_IS_LITTLE_ENDIAN) {
    target.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, samples.byteLength);
  for (let i = 0; i < samples.length; i++) view.setFloat32(i * Layout.FLOAT32_BYTES, samples[i]!, true);
}

function readFloat32Swapped(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / Layout.FLOAT32_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * Layout.FLOAT32_BYTES, true);
  return out;
}
