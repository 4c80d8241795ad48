import type { Connection } from '../pages/connection.js';

/**
 * Who made a session, for `maxSessionsPerSource`: the peer's address and the page's Origin. A
 * browser cannot choose its Origin, so one web page cannot push out the sessions of another; a
 * local process can claim any Origin, which the totals (`maxSessions`, `maxSessionBytes`) bound instead.
 */
export function sessionSource(page: Pick<Connection, 'remoteAddress' | 'origin'>): string {
  return `${page.remoteAddress ?? ''} ${page.origin ?? ''}`;
}
