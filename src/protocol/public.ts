/**
 * `hise-webview/protocol`: HISE's WebView wire format, for code that speaks it itself (a tool, a
 * test, another client): HISE's messages, the `hise-webview.1` extension's frames, calls, the typed
 * contract, parameter specs and recordings. What only the host and client need inside (hub frames,
 * fresh-streams and parameter frame codecs, logs, name tables) is not here. Pure: no Node, no DOM,
 * no side effects.
 * @packageDocumentation
 */
// HISE's own format (PROTOCOL.md §1–3).
export { MessageType, Layout, Limits, PLATFORM_IS_LITTLE_ENDIAN } from './constants.js';
export { encodeString, encodeFloat32 } from './encode.js';
export { decodeMessage, type DecodedMessage, type StringMessage, type Float32Message } from './decode.js';
export { interpretPageText } from './page-text.js';
// Errors.
export { CodedError, type CodedErrorOptions } from './coded-error.js';
export { ProtocolError, type ProtocolErrorCode } from './errors.js';
// The hise-webview.1 extension (PROTOCOL.md §4).
export { SUBPROTOCOL, EXTENSION_VERSION, FrameType, FLAG_SEQUENCE, TOKEN_PARAM, SESSION_PARAM } from './extension.js';
export { encodeFrame, decodeFrame, withSequence, readPayload, type Frame, type FramePayload, type EncodeFrameOptions, type ReadPayloadOptions } from './frame.js';
export { encodeAck, encodeHello, readAck } from './delivery.js';
export { createSessionId, isSessionId } from './session-id.js';
// Calls (PROTOCOL.md §4) and the typed contract both sides share.
export {
  CallError,
  encodeCall,
  encodeResult,
  encodeCallError,
  readCall,
  readReply,
  type CallErrorCode,
  type SerializedError,
  type IncomingCall,
  type Reply,
} from './calls.js';
export type { Contract, AnyContract, EventsOf, MessagesOf, HostFunctionsOf, PageFunctionsOf, ParamsOf } from './contract.js';
// Parameters (PROTOCOL.md §9).
export { ParameterError, type ParameterErrorCode, type ParameterValue, type ParameterSpec, type ParameterSpecInput } from './parameter-spec.js';
// Recordings (PROTOCOL.md §7): reading them.
export { readRecording, RecordingReader, type DecodedRecording, type ReadRecordingOptions } from './recording-reader.js';
export type { RecordedEvent } from './recording-format.js';
