/**
 * `hise-webview/react`: React hooks over the modern client. Opens no socket by itself (safe to
 * import during server rendering): give {@link HiseProvider} a client made with `connect()` in the
 * browser. Typed from your contract with {@link createHooks}.
 * @packageDocumentation
 */
export { HiseProvider, useClient, type HiseProviderProps } from './provider.js';
export {
  useParameter,
  useStream,
  useLatest,
  useMessage,
  useCall,
  useConnection,
  createHooks,
  type ParameterBinding,
  type HiseHooks,
} from './hooks.js';
export type { ConnectionState } from '../client/binding-support.js';
