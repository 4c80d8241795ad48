/**
 * `hise-webview/client`: browser clients. No side effects at import.
 * @packageDocumentation
 */
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
export { ProtocolError, type ProtocolErrorCode } from '../protocol/errors.js';
