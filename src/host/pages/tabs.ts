import type { IncomingMessage } from 'node:http';
import { CallError, TAB_PARAM } from '../../protocol/index.js';
import type { Connection } from './connection.js';
import type { OutboundMessage } from '../delivery/outbound.js';
import type { Page } from './page.js';

/** What a tab id must look like (the bridge sends 22 base64url characters); anything else is ignored. */
const TAB_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The tab id a connection's handshake carries (`?tab=`, from the query the HTTP guard parsed), when it is well formed. */
export function tabOf(query: URLSearchParams): string | undefined {
  const tab = query.get(TAB_PARAM);
  return tab !== null && TAB_ID.test(tab) ? tab : undefined;
}

/** Limits of {@link Tabs.admits}. */
export interface TabLimits {
  maxPages: number;
  maxConnectionsPerPage: number;
}

/**
 * The host's pages, one per browser tab: connections that carry the same tab id (the bridge adds
 * it to its own socket and to every socket the page opens to the host) and the same Origin are one
 * {@link Page}; a connection without a tab id is a page of its own (HISE's model).
 *
 * The tab id only groups; it grants nothing. Each connection passes the host's gates (Origin,
 * token, capacity) on its own, and one that names an open tab from another Origin gets a page of
 * its own instead of joining it.
 */
export class Tabs {
  readonly #pages = new Set<Page>();
  readonly #byTab = new Map<string, Page>();

  /** The open pages, in the order they opened. */
  get pages(): Page[] {
    return [...this.#pages];
  }

  has(page: Page): boolean {
    return this.#pages.has(page);
  }

  /** Whether a connection with this handshake and tab id fits: into its open tab (`maxConnectionsPerPage`), or as a new page (`maxPages`). */
  admits(request: IncomingMessage, tab: string | undefined, limits: TabLimits): boolean {
    const page = this.#openTab(request, tab);
    return page === undefined ? this.#pages.size < limits.maxPages : page.connections.length < limits.maxConnectionsPerPage;
  }

  /** The page an accepted connection belongs to: its open tab's, or a new one (`isNew`) made by `create`. */
  pageFor(request: IncomingMessage, tab: string | undefined, create: () => Page): { page: Page; isNew: boolean } {
    const open = this.#openTab(request, tab);
    if (open !== undefined) return { page: open, isNew: false };
    const page = create();
    this.#pages.add(page);
    if (tab !== undefined && !this.#byTab.has(tab)) this.#byTab.set(tab, page);
    return { page, isNew: true };
  }

  /**
   * Holds a broadcast message for each page whose client has not connected yet (or is
   * reconnecting) while its bridge is there, so a host that greets a page on `connect` reaches the
   * page's client, as it would a page without the bridge. Latest per id, up to `maxPendingIds` ids.
   */
  holdForWaiting(message: OutboundMessage): void {
    for (const page of this.#pages) if (page.awaitsClient) page.hold(message);
  }

  /** A connection of a page from {@link pageFor} opened. */
  add(connection: Connection): void {
    connection.page.add(connection);
  }

  /** A connection closed; true when its page has gone with it. */
  remove(connection: Connection): boolean {
    const { page } = connection;
    if (!page.remove(connection)) return false;
    this.#pages.delete(page);
    if (page.tab !== undefined && this.#byTab.get(page.tab) === page) this.#byTab.delete(page.tab);
    return true;
  }

  #openTab(request: IncomingMessage, tab: string | undefined): Page | undefined {
    const page = tab === undefined ? undefined : this.#byTab.get(tab);
    return page !== undefined && page.origin === request.headers.origin ? page : undefined;
  }
}

/**
 * The connection of `page` that answers a call named `name`: the bridge's for the bridge's own
 * calls (`$…`), else the page's modern client. Found now when it is there (so the call goes out in
 * order with what the host sends next); a bridged page whose client has not connected yet (the
 * bridge connects first) is waited for, up to `timeout` ms.
 * @throws {CallError} `NOT_SUPPORTED` (the page reads HISE's format only), `DISCONNECTED`; `CALL_TIMEOUT` (as a rejection)
 */
export function callTarget(page: Page, name: string, timeout: number, isOpen: (page: Page) => boolean): Connection | Promise<Connection> {
  return answering(page, name, isOpen) ?? awaitAnswering(page, name, Date.now() + timeout, timeout, isOpen);
}

async function awaitAnswering(page: Page, name: string, deadline: number, timeout: number, isOpen: (page: Page) => boolean): Promise<Connection> {
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new CallError('CALL_TIMEOUT', `page ${page.id} opened no client that takes calls within ${timeout} ms`);
    await page.nextChange(left);
    const target = answering(page, name, isOpen);
    if (target !== undefined) return target;
  }
}

/** The answering connection, or undefined while a bridged page's client is still to come. */
function answering(page: Page, name: string, isOpen: (page: Page) => boolean): Connection | undefined {
  if (!isOpen(page)) throw new CallError('DISCONNECTED', `page ${page.id} is not connected`);
  const connections = name.startsWith('$') ? page.connections.filter((c) => c.bridged) : page.dataConnections();
  const target = connections.find((connection) => connection.extended);
  if (target === undefined && (connections.length > 0 || !page.bridged)) {
    throw new CallError('NOT_SUPPORTED', `page ${page.id} uses HISE's format, which has no calls`);
  }
  return target;
}
