/**
 * `hise-webview`: the Node host. A {@link WebView} mirrors HISE's ScriptWebView.
 * @packageDocumentation
 */
export { WebView, MAX_BUFFER_INDEX, type SendResult, type WebSocketCallback, type WebViewEvents, type RefusedConnection, type WebViewApi } from './web-view.js';
export { WebViewError, type WebViewErrorCode } from './errors.js';
export type { HiseWarning, HiseWarningCode } from './hise-strict/warnings.js';
export { DEFAULT_OPTIONS, type WebViewOptions } from './options.js';
export { Page, CloseCode } from './pages/page.js';
export { Parameter, type ParameterChange, type ParameterGesture, type ParameterEvents } from './parameters/parameter.js';
export { STATE_VERSION, type WebViewState, type RetainedValue, type StateResult } from './parameters/web-view-state.js';
export {
  ParameterError,
  type ParameterErrorCode,
  type ParameterSpec,
  type ParameterSpecInput,
  type ParameterValue,
  type NumberSpecInput,
  type ChoiceSpecInput,
  type BooleanSpecInput,
  type Skew,
} from '../protocol/index.js';
export type { Connection } from './pages/connection.js';
export type { DeliveryResult, OutboxStats } from './delivery/page-outbox.js';
export type { SendOptions } from './delivery/outbound.js';
export type { FreshStreams, FreshStreamsStats, StreamIdStats } from './delivery/fresh-streams.js';
export { hostTime } from './delivery/host-clock.js';
export { isOriginAllowed } from './http/origin-policy.js';
export { TOOL_PREFIX, type ToolRoute } from './http/tool-routes.js';
export type { ParsedRequest } from './http/request.js';
export type { Observation, Observer, ObservedCallKind, ObservedCallError, ObservedSendResult } from './observer.js';
export { CallError, SUBPROTOCOL, type CallErrorCode, type Contract, type AnyContract } from '../protocol/index.js';
export { record, DEFAULT_MAX_RECORDING_BYTES, type Recording, type RecordOptions, type RecordingSummary, type RecordingStopReason } from './record/recorder.js';
export { attachHiseProxy, HISE_PROXY_NOTICE_ID, DEFAULT_HISE_PROXY, type HiseProxy, type HiseProxyOptions } from './hise-proxy/proxy.js';
export { replay, answerFromRecording, recordedCallNames, readRecordingFile, MIN_LOOP_MS, DEFAULT_MAX_REPLAY_FILE_BYTES, type Replay, type ReplayOptions } from './record/replay.js';
export { readRecording, ProtocolError, type DecodedRecording, type RecordedEvent } from '../protocol/index.js';
export { Instances, type InstanceInfo, type InstancesEvents } from './shared-port/instances.js';
export type { LanOptions, DeviceRole } from './lan/lan-options.js';
export type { LanHost, Pairing } from './lan/lan.js';
export type { Device } from './lan/devices.js';
export type { PairingRequest, LanRefusalReason } from './lan/lan-http.js';
export { lanBanner, terminalQr } from './lan/terminal.js';
