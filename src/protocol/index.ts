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
export {
  SUBPROTOCOL,
  EXTENSION_VERSION,
  FrameType,
  FLAG_SEQUENCE,
  TYPE_MASK,
  SEQUENCE_BYTES,
  DATA_ALIGNMENT,
  ELEMENT_BYTES,
  TOKEN_PARAM,
  SESSION_PARAM,
  STREAMS_PARAM,
  STREAMS_VERSION,
} from './extension.js';
export {
  ALL_STREAMS,
  STREAM_TYPES,
  TimedFlag,
  TimedLayout,
  encodeStreamAck,
  encodeStreamsReady,
  encodeStreamWindow,
  encodeSubscriptions,
  encodeTimeSync,
  encodeTimedFrame,
  encodeVisibility,
  readStreamAck,
  readStreamsReady,
  readStreamWindow,
  readSubscriptions,
  readTimeSync,
  readTimedFrame,
  readVisibility,
  type StreamMeta,
  type SubscriptionState,
} from './stream-meta.js';
export { encodeFrame, decodeFrame, withSequence, readPayload, encodeValue, valueToWire, toJson, type Frame, type FramePayload, type EncodeFrameOptions, type ReadPayloadOptions } from './frame.js';
export {
  CallError,
  PendingCalls,
  answerCall,
  DEFAULT_MAX_CALL_ARGUMENTS,
  serializeError,
  encodeCall,
  encodeResult,
  encodeCallError,
  readCall,
  readReply,
  type CallErrorCode,
  type CallHandler,
  type IncomingCall,
  type Reply,
  type SerializedError,
  type PendingCallsOptions,
} from './calls.js';
export { encodeAck, encodeHello, readAck, readUint32Frame } from './delivery.js';
export type { Contract, AnyContract, EventsOf, MessagesOf, HostFunctionsOf, PageFunctionsOf } from './contract.js';
export {
  BridgeCall,
  BINDINGS_ID,
  BRIDGE_PARAM,
  TAB_PARAM,
  INSTANCE_PARAM,
  BRIDGE_SCRIPT_PATH,
  BRIDGE_CONFIG_GLOBAL,
  HostRestartPhase,
  KEEP_ALIVE_GLOBAL,
  HOST_RESTART_EVENT,
  type HostRestartAnswer,
  type PersistentCall,
  type BridgeConfig,
} from './bridge.js';
export {
  HUB_PATH,
  HUB_SUBPROTOCOL,
  HubOp,
  HubFlag,
  HubValueType,
  encodeHubData,
  decodeHubData,
  readHubHeader,
  parseHubControl,
  type HubData,
  type HubDataHeader,
  type HubControl,
  type HubMember,
  type RelayedPage,
} from './hub.js';
export { SequencedLog, type Unacked } from './sequenced-log.js';
export { bindingNameProblem, isPlainIdentifier, isWindowName, MAX_BINDING_NAME_LENGTH, type BindingNameProblem } from './names.js';
export { createSessionId, isSessionId, SESSION_ID_BYTES, SESSION_ID_LENGTH, type RandomSource } from './session-id.js';
export { isFunctionPath, MAX_FUNCTION_PATH_LENGTH } from './function-path.js';
export {
  ParameterError,
  checkSpec,
  checkValue,
  coerceValue,
  quantise,
  decimalsOf,
  toNormalized,
  fromNormalized,
  defaultText,
  MAX_PARAMETER_TEXT,
  MAX_CHOICES,
  type ParameterErrorCode,
  type ParameterProblem,
  type ParameterValue,
  type ParameterSpec,
  type ParameterSpecInput,
  type NumberSpecInput,
  type ChoiceSpecInput,
  type BooleanSpecInput,
  type SpecFor,
  type ValueOfSpec,
  type Skew,
} from './parameter-spec.js';
export {
  encodeParameterSpecs,
  encodeParameterValues,
  encodeParameterOp,
  encodeParameterError,
  readParameterJson,
  checkParameterOp,
  isHiseParameterMessage,
  hiseParameterOpText,
  HiseParameterId,
  HISE_PARAMETER_KEY,
  HISE_PARAMETER_MARKER,
  MAX_GESTURE_NUMBER,
  type ParameterSource,
  type ParameterOperation,
  type ParameterOp,
  type ParameterState,
  type ParameterValueEntry,
  type ParameterErrorMessage,
} from './parameter-messages.js';
export type { ParamsOf } from './contract.js';
export {
  RECORDING_MAGIC,
  RECORDING_VERSION,
  RecordingLayout,
  RecordKind,
  RecordFlag,
  DEFAULT_MAX_RECORD_BYTES,
  encodeRecordingHeader,
  readRecordingHeader,
  encodeRecord,
  readRecording,
  RecordingReader,
  type RecordedEvent,
  type RecordedCallKind,
  type RecordedError,
  type DecodedRecording,
  type ReadRecordingOptions,
} from './recording.js';
export { RefusalCode, REFUSAL_CODE_MIN, REFUSAL_CODE_MAX, MAX_CLOSE_REASON_BYTES, isRefusalCode, fitCloseReason } from './refusal.js';
