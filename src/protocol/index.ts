/**
 * The wire format as the host and the clients use it inside the package: everything
 * `hise-webview/protocol` offers (public.ts) and the frames, codecs and tables only they need.
 * Pure: no Node, no DOM, no side effects. Not a package entry.
 */

// What hise-webview/protocol offers (public.ts), and beside it what only the host and the clients use.
export * from './public.js';
export { readFloat32, writeFloat32 } from './float32.js';
export { utf8ByteLength, readUtf8 } from './utf8.js';
export { encodeStringBytes } from './encode.js';

export {
  TYPE_MASK,
  SEQUENCE_BYTES,
  DATA_ALIGNMENT,
  ELEMENT_BYTES,
  STREAMS_PARAM,
  STREAMS_VERSION,
  OWNED_PARAM,
  OWNED_VERSION,
} from './extension.js';
export { OWNED_MIN_BYTES, OwnedLayout, encodeOwnedHead, readOwnedHead, ownedFrame, type OwnedHead } from './owned-frame.js';
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
export { encodeValue, valueToWire, toJson } from './frame.js';
export {
  PendingCalls,
  answerCall,
  DEFAULT_MAX_CALL_ARGUMENTS,
  serializeError,
  type CallHandler,
  type PendingCallsOptions,
} from './calls.js';
export { readUint32Frame } from './delivery.js';

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
export { SESSION_ID_BYTES, SESSION_ID_LENGTH, type RandomSource } from './session-id.js';
export { isFunctionPath, MAX_FUNCTION_PATH_LENGTH } from './function-path.js';
export {
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
  type ParameterProblem,
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

export {
  RECORDING_MAGIC,
  RECORDING_VERSION,
  RecordingLayout,
  RecordKind,
  RecordFlag,
  DEFAULT_MAX_RECORD_BYTES,
  type RecordedCallKind,
  type RecordedError,
} from './recording-format.js';
export { readRecordingHeader } from './recording-reader.js';
export { encodeRecordingHeader, encodeRecord } from './recording.js';
export { RefusalCode, REFUSAL_CODE_MIN, REFUSAL_CODE_MAX, MAX_CLOSE_REASON_BYTES, isRefusalCode, fitCloseReason } from './refusal.js';
