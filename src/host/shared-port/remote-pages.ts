import type { IncomingMessage } from 'node:http';
import type { RelayedPage } from '../../protocol/hub.js';
import type { ParsedRequest } from '../http/request.js';
import { Page } from '../pages/page.js';

/** Remote pages remembered for callbacks (the oldest forgotten first). */
const MAX_REMOTE_PAGES = 4096;

/** Other instances' pages, as the `Page` objects this instance's callbacks get (the same object for every message of a page). */
export class RemotePages {
  readonly #pages = new Map<string, Page>();

  /** The page `info` describes (made on its first message). */
  get(info: RelayedPage): Page {
    const key = `${info.instance}/${info.id}`;
    let page = this.#pages.get(key);
    if (page === undefined) {
      const request = { headers: { origin: info.origin }, socket: { remoteAddress: undefined } } as unknown as IncomingMessage;
      page = new Page(info.id, info.tab, request, { pathname: info.path } as ParsedRequest, 1);
      page.instance = info.instance;
      page.remote = { extended: info.extended };
      if (this.#pages.size >= MAX_REMOTE_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
      this.#pages.set(key, page);
    }
    return page;
  }

  /** A page of `instance` went away. */
  forget(instance: string, page: number): void {
    this.#pages.delete(`${instance}/${page}`);
  }
}
