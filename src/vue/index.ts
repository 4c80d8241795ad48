/**
 * `hise-webview/vue`: Vue 3 composables over the modern client. Opens no socket by itself (safe to
 * import during server rendering): give {@link provideHise} (or the {@link hisePlugin}) a client
 * made with `connect()` in the browser. Typed from your contract with {@link createHooks}.
 * @packageDocumentation
 */
export {
  provideHise,
  hisePlugin,
  useClient,
  useParameter,
  useStream,
  useLatest,
  useMessage,
  useCall,
  useConnection,
  createHooks,
  type ParameterRefs,
  type HiseHooks,
} from './composables.js';
export type { ConnectionState } from '../client/binding-support.js';
