/**
 * `hise-webview/protocol`: HISE's WebView wire format. Pure: no Node, no DOM, no side effects.
 * @packageDocumentation
 */
export { MessageType, Layout, Limits, PLATFORM_IS_LITTLE_ENDIAN } from './constants.js';
export { ProtocolError, type ProtocolErrorCode } from './errors.js';
export { encodeString, encodeFloat32 } from './encode.js';
export { decodeMessage, type DecodedMessage, type StringMessage, type Float32Message } from './decode.js';
export { readFloat32, writeFloat32 } from './float32.js';
export { utf8ByteLength, readUtf8 } from './utf8.js';
export { interpretPageText } from './page-text.js';
