// Profiling only: the drop-in's receive path with the proposed decode changes, against the same
// WebView host: (1) unaligned float data is moved down to the previous 4-byte boundary inside the
// message's own ArrayBuffer (the socket hands each message a fresh buffer that only this client
// holds) and returned as a view, so no second ArrayBuffer per frame; (2) short ASCII ids are read
// without a TextDecoder call. Every check of decodeMessage is kept.
import dropIn from '../../clients/drop-in.js';

export default {
  ...dropIn,
  name: 'drop-in-inplace',
  label: 'drop-in, in-place decode (prototype)',
  scripts: () => [],
  browser: function setupDropInInPlace(params) {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    function fail(code) {
      throw new Error(code);
    }
    function decodeInPlace(buffer) {
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
      if (idLength <= 33) {
        for (let i = 3; i < sizeOffset - 1; i++) {
          const b = bytes[i];
          if (b >= 0x80) {
            id = undefined;
            break;
          }
          id += String.fromCharCode(b);
        }
      } else id = undefined;
      if (id === undefined) id = strict.decode(bytes.subarray(3, sizeOffset - 1));
      if (type === 1) return { id, data: strict.decode(bytes.subarray(dataOffset)) };
      if (size % 4 !== 0) fail('FLOAT_SIZE_NOT_MULTIPLE_OF_4');
      let start = dataOffset;
      if (start & 3) {
        const aligned = start & ~3; // >= 4: only header bytes already read are overwritten
        bytes.copyWithin(aligned, start, start + size);
        start = aligned;
      }
      return { id, data: new Float32Array(buffer, start, size >>> 2) };
    }
    const ws = new WebSocket(`ws://localhost:${params.port}`);
    ws.binaryType = 'arraybuffer';
    let onFloats = () => {};
    let onText = () => {};
    const listeners = [(id, data) => (typeof data === 'string' ? onText(id, data) : onFloats(id, data))];
    ws.onmessage = (event) => {
      let message;
      try {
        message = decodeInPlace(event.data);
      } catch (error) {
        return;
      }
      for (let i = 0; i < listeners.length; i++) {
        try {
          listeners[i](message.id, message.data);
        } catch (error) {
          setTimeout(() => {
            throw error;
          });
        }
      }
    };
    return {
      ready: new Promise((resolve) => (ws.onopen = resolve)),
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => ws.send(text),
    };
  },
};
