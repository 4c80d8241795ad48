import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HubDataHeader } from '../../protocol/hub.js';
import type { Broadcast } from '../broadcast.js';
import type { Capability } from '../capability.js';
import type { HostCore } from '../core.js';
import type { WebViewError } from '../errors.js';
import type { UpgradeRoute } from '../http/guard.js';
import type { HttpHandlers, HttpLimits } from '../http/listener.js';
import type { Inbox } from '../inbox.js';
import type { Connection } from '../pages/connection.js';
import type { Page } from '../pages/page.js';
import type { SharedHost } from './shared-host.js';
import { SharedPort } from './shared-port.js';

/** What the HTTP capability hands over when it starts the shared port. */
export interface SharedListening {
  readonly handlers: HttpHandlers;
  readonly limits: HttpLimits;
  /** The WebView's private port, where the hub pipes this instance's page sockets. */
  readonly privatePort: number;
  readonly guardUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer, route: UpgradeRoute) => void;
}

/**
 * A `WebView`'s side of a shared port (`shared: true`, README "Shared port"): what another
 * instance broadcasts reaches this instance's pages ({@link Broadcast}), what its pages send
 * reaches this instance's handlers ({@link Inbox}), and a page of this instance that goes is
 * forgotten by the others. This instance's own broadcasts and page messages are relayed through
 * `core.shared` by those capabilities.
 */
export class SharedPortLink implements Capability, SharedHost {
  readonly #core: HostCore;
  readonly #broadcast: Broadcast;
  readonly #inbox: Inbox;
  #listening: SharedListening | undefined;

  constructor(core: HostCore, broadcast: Broadcast, inbox: Inbox) {
    this.#core = core;
    this.#broadcast = broadcast;
    this.#inbox = inbox;
  }

  /** Takes `port` as the hub or joins the hub holding it; `core.shared` from then on. */
  async start(port: number, listening: SharedListening): Promise<SharedPort> {
    this.#listening = listening;
    return (this.#core.shared = await SharedPort.start(port, this.#core.instances!, this));
  }

  detach(connection: Connection): void {
    if (connection.page.connections.length === 0) this.#core.shared?.pageGone(connection.page);
  }

  // ---- SharedHost: what the shared port reads of this WebView ----

  get host(): string {
    return this.#core.options.host;
  }
  get maxPayload(): number {
    return this.#core.options.maxPayload;
  }
  get directory(): string | undefined {
    return this.#core.options.sharedDirectory;
  }
  get handlers(): HttpHandlers {
    return this.#listening!.handlers;
  }
  get limits(): HttpLimits {
    return this.#listening!.limits;
  }
  get privatePort(): number {
    return this.#listening!.privatePort;
  }
  guardUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, route: UpgradeRoute): void {
    this.#listening!.guardUpgrade(request, socket, head, route);
  }
  deliver(api: 'hise' | 'any', id: string, value: unknown, retained: boolean, meta: HubDataHeader['m']): void {
    this.#broadcast.deliverRelayed(api, id, value, retained, meta);
  }
  dispatch(page: Page, id: string | undefined, value: unknown): void {
    this.#inbox.dispatchPage(page, id, value);
  }
  isRetained(id: string): boolean {
    return this.#broadcast.retained.has(id);
  }
  report(error: WebViewError): void {
    this.#core.report(error, undefined);
  }
}
