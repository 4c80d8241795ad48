/**
 * `hise-webview/svelte`: Svelte stores over the modern client (Svelte 5, and 4: `$gain` in markup).
 * Opens no socket by itself (safe to import during server rendering): give {@link setHiseClient} a
 * client made with `connect()` in the browser. Typed from your contract with {@link createHooks}.
 * @packageDocumentation
 */
export {
  setHiseClient,
  useClient,
  useParameter,
  useStream,
  useLatest,
  useMessage,
  useCall,
  useConnection,
  createHooks,
  type ParameterStore,
  type ParameterSnapshot,
  type HiseHooks,
} from './stores.js';
export type { ConnectionState } from '../client/binding-support.js';
