import { BRIDGE_CONFIG_GLOBAL, type BridgeConfig } from '../protocol/bridge.js';

/**
 * The host's bridge config, in a page the host serves or one the Vite plugin serves (both put the
 * bridge script first in `<head>`, which defines it before the page's scripts run); `undefined`
 * elsewhere. Read it instead of the global `window.__HISE_WEBVIEW__`.
 */
export function bridgeConfig(): Readonly<BridgeConfig> | undefined {
  const config = (globalThis as Record<string, unknown>)[BRIDGE_CONFIG_GLOBAL];
  if (typeof config !== 'object' || config === null) return undefined;
  return typeof (config as Partial<BridgeConfig>).port === 'number' ? (config as BridgeConfig) : undefined;
}

/** The port of the host that serves this page (or runs beside its Vite dev server); `undefined` without a bridge. */
export function hostPort(): number | undefined {
  return bridgeConfig()?.port;
}
