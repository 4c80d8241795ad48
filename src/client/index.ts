/**
 * `hise-webview/client`: browser clients. No side effects at import.
 * - {@link connect}: the modern, typed client.
 * - {@link HiseWebSocketServer}: the drop-in for HISE's client.
 * @packageDocumentation
 */
export {
  connect,
  HiseClient,
  CLIENT_DEFAULTS,
  type ConnectOptions,
  type ClientStatus,
  type ClientMode,
  type MessageMeta,
  type SendResult,
  type WebSocketConstructor,
} from './connect.js';
export type { SubscribeOptions } from './modern/subscription-book.js';
export {
  HiseWebSocketServer,
  type HiseData,
  type HiseMessageListener,
  type HiseStatusListener,
  type HiseStatus,
  type HiseSendResult,
  type HiseOutgoing,
  type HiseWebSocketServerOptions,
} from './hise-websocket-server.js';
export { bridgeConfig, hostPort } from './bridge-config.js';
export { ClientParameter, type ParameterMeta } from './modern/client-parameter.js';
export { attachDrag, bindRange, WHEEL_GESTURE_MS, WHEEL_STEPS, type DragOptions, type RangeOptions, type ControlElement, type RangeElement } from './parameter-controls.js';
export { bindSwitch, bindChoice, type ToggleOptions, type ChoiceContainer } from './choice-controls.js';
export { ANNOUNCE_QUIET_MS } from './control-a11y.js';
export {
  ParameterError,
  toNormalized,
  fromNormalized,
  defaultText,
  type ParameterErrorCode,
  type ParameterSpec,
  type ParameterValue,
  type Skew,
} from '../protocol/parameter-spec.js';
export { ClientError, type ClientErrorCode } from './client-error.js';
export type { BridgeConfig, PersistentCall } from '../protocol/bridge.js';
export { ProtocolError, type ProtocolErrorCode } from '../protocol/errors.js';
export { CallError, type CallErrorCode } from '../protocol/calls.js';
export type { Contract, AnyContract } from '../protocol/contract.js';
