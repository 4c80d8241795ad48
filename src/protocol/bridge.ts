/**
 * Names shared by the host and the page bridge for direct communication (PROTOCOL.md §5). They
 * start with `$`, which HISE ids and bound callback names in practice never do, so they cannot
 * clash with a user's.
 */
export const BridgeCall = {
  /** Page → host: a bound callback was called: args `[name, argsArray]`. */
  Callback: '$callback',
  /** Page → host: what persistent calls changed after the page's snapshot: args `[version]`. */
  Sync: '$sync',
  /** Host → page: `callFunction`: args `[name, arg]`. */
  CallFunction: '$callFunction',
  /** Host → page: `evaluate`: args `[code]`. */
  Evaluate: '$evaluate',
  /** Host → page: reload the page (live development). */
  Reload: '$reload',
} as const;

/** Retained host → page message with the names of the bound callbacks (JSON array of strings). */
export const BINDINGS_ID = '$bindings';
/** Query parameter a bridge connects with, so the host knows the page can run direct calls. */
export const BRIDGE_PARAM = 'bridge';
/** Path the host serves the bridge at. */
export const BRIDGE_SCRIPT_PATH = '/hise-webview-bridge.js';
/** Global the host's bridge script defines before the bridge runs. */
export const BRIDGE_CONFIG_GLOBAL = '__HISE_WEBVIEW__';

/** A call stored for replay in pages that open later (HISE's persistence). */
export type PersistentCall =
  | { kind: 'function'; name: string; /** Absent: called with no argument. */ arg?: unknown; version: number }
  | { kind: 'evaluate'; uid: string; code: string; version: number };

/** What the host tells a bridge before it runs. */
export interface BridgeConfig {
  port: number;
  token: string | undefined;
  bindings: string[];
  persisted: PersistentCall[];
  debug: boolean;
}
