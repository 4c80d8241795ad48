/** `ArrayBuffer.prototype.transfer` (ES2024; Chromium 114+, Node 21+), typed here because the lib is ES2022. */
type Transferable = ArrayBuffer & { transfer?: (newLength: number) => ArrayBuffer };

/**
 * Gives `data` a buffer of its own that holds exactly its bytes, taking over the buffer it lives in.
 * The caller must own `data.buffer` outright (a WebSocket message's own `ArrayBuffer`): the bytes are
 * moved to its start and the buffer is cut to them with `transfer`, which detaches it, so `data` and
 * every other view of it are empty afterwards. Where `transfer` is missing, one copy (`slice`).
 *
 * Measured in Chromium (bench/profile/owned-in-chromium.mjs): moving and cutting costs about what the
 * old in-place view did, half of `slice` or a new typed array plus `set`.
 */
export function takeExactBuffer(data: Uint8Array): ArrayBuffer {
  const buffer = data.buffer as Transferable;
  const start = data.byteOffset;
  const size = data.byteLength;
  if (start === 0 && buffer.byteLength === size) return buffer;
  if (typeof buffer.transfer !== 'function') return buffer.slice(start, start + size);
  new Uint8Array(buffer).copyWithin(0, start, start + size);
  return buffer.transfer(size);
}

/** Whether `view` is alone in a buffer of exactly its size (what listeners are promised). */
export function ownsExactBuffer(view: ArrayBufferView): boolean {
  return view.byteOffset === 0 && view.buffer.byteLength === view.byteLength;
}
