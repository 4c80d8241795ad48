// Profiling only: ways to hand each listener a Float32Array that owns exactly its samples
// (`byteOffset === 0`, `buffer.byteLength === length * 4`), against the in-place view the drop-in
// handed out before (issue 11, item 2). Same receive path as drop-in-inplace.js; only the last step
// differs:
//   view      in-place view into the message's buffer (not owned: the baseline)
//   transfer  samples moved to the start of the message's buffer, then `buffer.transfer(size)`
//   slice     `buffer.slice(dataOffset, dataOffset + size)` (one allocation + copy)
//   copy      `new Float32Array(n)` and `Uint8Array.set` (zeroed allocation + copy)
import inPlace from './drop-in-inplace.js';

/** Page side, stringified; `__MODE__` is replaced by the variant's name. */
function setupDropInOwned(params) {
  const MODE = __MODE__;
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  function fail(code) {
    throw new Error(code);
  }
  function own(buffer, bytes, start, size) {
    if (MODE === 'view') {
      if (start & 3) {
        const aligned = start & ~3;
        bytes.copyWithin(aligned, start, start + size);
        start = aligned;
      }
      return new Float32Array(buffer, start, size >>> 2);
    }
    if (MODE === 'transfer') {
      bytes.copyWithin(0, start, start + size);
      return new Float32Array(buffer.transfer(size));
    }
    if (MODE === 'slice') return new Float32Array(buffer.slice(start, start + size));
    const out = new Float32Array(size >>> 2);
    new Uint8Array(out.buffer).set(bytes.subarray(start, start + size));
    return out;
  }
  function decode(buffer) {
    const bytes = new Uint8Array(buffer);
    const total = bytes.length;
    if (total < 7) fail('TRUNCATED_HEADER');
    const type = bytes[0];
    if (type !== 1 && type !== 2) fail('UNKNOWN_TYPE');
    const idLength = bytes[1] | (bytes[2] << 8);
    if (idLength === 0) fail('ID_NOT_TERMINATED');
    const sizeOffset = 3 + idLength;
    if (sizeOffset + 4 > total) fail('ID_PAST_END');
    if (bytes[sizeOffset - 1] !== 0) fail('ID_NOT_TERMINATED');
    const size = (bytes[sizeOffset] | (bytes[sizeOffset + 1] << 8) | (bytes[sizeOffset + 2] << 16) | (bytes[sizeOffset + 3] << 24)) >>> 0;
    const dataOffset = sizeOffset + 4;
    if (size > total - dataOffset) fail('SIZE_PAST_END');
    if (size < total - dataOffset) fail('TRAILING_BYTES');
    let id = '';
    for (let i = 3; i < sizeOffset - 1; i++) {
      const b = bytes[i];
      if (b >= 0x80) {
        id = strict.decode(bytes.subarray(3, sizeOffset - 1));
        break;
      }
      id += String.fromCharCode(b);
    }
    if (type === 1) return { id, data: strict.decode(bytes.subarray(dataOffset)) };
    if (size % 4 !== 0) fail('FLOAT_SIZE_NOT_MULTIPLE_OF_4');
    return { id, data: own(buffer, bytes, dataOffset, size) };
  }
  const ws = new WebSocket(`ws://localhost:${params.port}`);
  ws.binaryType = 'arraybuffer';
  let onFloats = () => {};
  let onText = () => {};
  let checked = false;
  ws.onmessage = (event) => {
    const message = decode(event.data);
    if (typeof message.data === 'string') return onText(message.id, message.data);
    if (!checked && MODE !== 'view') {
      checked = true; // the contract, once: a wrong variant must not be measured
      const d = message.data;
      if (d.byteOffset !== 0 || d.buffer.byteLength !== d.length * 4) throw new Error(`${MODE}: not owned`);
    }
    onFloats(message.id, message.data);
  };
  return {
    ready: new Promise((resolve) => (ws.onopen = resolve)),
    onFloats: (fn) => (onFloats = fn),
    onText: (fn) => (onText = fn),
    send: (text) => ws.send(text),
  };
}

export const MODES = ['view', 'transfer', 'slice', 'copy'];

/** The adapter of one variant. */
export function ownedVariant(mode) {
  if (!MODES.includes(mode)) throw new Error(`unknown variant '${mode}' (known: ${MODES.join(', ')})`);
  const source = setupDropInOwned.toString().replace('__MODE__', JSON.stringify(mode));
  return {
    ...inPlace,
    name: `owned-${mode}`,
    label: `drop-in receive path, ${mode}`,
    browser: (0, eval)(`(${source})`),
  };
}
