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
  /**
   * Host → page: the dev server's host module restarts: args `[phase]` ({@link HostRestartPhase}).
   * Answered with what the page does ({@link HostRestartAnswer}).
   */
  HostRestart: '$hostRestart',
} as const;

/**
 * The two steps of a host-module restart, as a bridge sees them. `begin` (before the old module
 * stops): a page that will reload stops running `callFunction`/`evaluate`, so the new module's
 * setup does not act on a page that is about to go. `end` (after the new module has set up): the
 * page reloads and starts exactly as a fresh load would, unless it opted in to stay
 * ({@link KEEP_ALIVE_GLOBAL}).
 */
export const HostRestartPhase = {
  Begin: 'begin',
  End: 'end',
} as const;
export type HostRestartPhase = (typeof HostRestartPhase)[keyof typeof HostRestartPhase];

/** What a bridge answers to a {@link BridgeCall.HostRestart}: it reloads, or it stays (opted in). */
export type HostRestartAnswer = 'reload' | 'keep';

/**
 * A page that sets `window.__HISE_WEBVIEW_KEEP_ALIVE__ = true` stays open across host-module
 * restarts (it gets the {@link HOST_RESTART_EVENT} instead of a reload). For pages that resync by
 * themselves, e.g. with the modern client; HISE-style pages should not set it.
 */
export const KEEP_ALIVE_GLOBAL = '__HISE_WEBVIEW_KEEP_ALIVE__';
/** Event dispatched on `window` of a kept-alive page once the new host module has set up. */
export const HOST_RESTART_EVENT = 'hise-webview:host-restart';

/** Retained host → page message with the names of the bound callbacks (JSON array of strings). */
export const BINDINGS_ID = '$bindings';
/** Query parameter a bridge connects with, so the host knows the page can run direct calls. */
export const BRIDGE_PARAM = 'bridge';
/**
 * Query parameter with the page's tab id (random per document), which the bridge adds to its own
 * connection and to every WebSocket the page opens to the host, so the host sees one page per tab.
 */
export const TAB_PARAM = 'tab';
/**
 * Query parameter the bridge adds to a page's sockets on a shared port: the id of the instance that
 * served the page, so the hub hands them to that instance (PROTOCOL.md §8).
 */
export const INSTANCE_PARAM = 'instance';
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
  /** HISE-strict mode: a stored call to a function the page lacks is a page error (a ReferenceError), as in HISE. */
  hiseStrict?: boolean;
  /** With a shared port: the id of the instance that served the page, which its sockets carry as `?instance=`. */
  instance?: string;
  /** A page the host served on the LAN (a phone): its sockets to the host dial the page's own origin, never `localhost`. */
  lan?: true;
}
