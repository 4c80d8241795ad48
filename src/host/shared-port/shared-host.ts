import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HubDataHeader } from '../../protocol/hub.js';
import type { WebViewError } from '../errors.js';
import type { UpgradeRoute } from '../http/guard.js';
import type { HttpHandlers, HttpLimits } from '../http/listener.js';
import type { Page } from '../pages/page.js';

/** What the shared port needs of its `WebView` (implemented by {@link SharedPortLink}, web-view-link.ts). */
export interface SharedHost {
  readonly host: string;
  readonly maxPayload: number;
  /** `sharedDirectory` option: where the per-user secret lives. */
  readonly directory: string | undefined;
  /** The WebView's own HTTP handlers, which also serve the shared port while this instance is the hub. */
  readonly handlers: HttpHandlers;
  /** The WebView's HTTP guard for upgrades: every upgrade on the shared port is parsed and its Host checked before the hub looks at it. */
  readonly guardUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer, route: UpgradeRoute) => void;
  readonly limits: HttpLimits;
  /** The WebView's private port, where the hub pipes this instance's page sockets. */
  readonly privatePort: number;
  /** Another instance's broadcast: send it to this instance's pages (and retain it when flagged). */
  deliver(api: 'hise' | 'any', id: string, value: unknown, retained: boolean, meta: HubDataHeader['m']): void;
  /** Another instance's page sent a message. */
  dispatch(page: Page, id: string | undefined, value: unknown): void;
  isRetained(id: string): boolean;
  report(error: WebViewError): void;
}

