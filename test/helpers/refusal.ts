import type { WebSocket } from 'ws';

/** How the host turned a socket away: a close right after the handshake (code, reason, and whether a message came first), or an HTTP status. */
export type Refusal = { code: number; reason: string; messages: number } | { status: number };

/**
 * Resolves with how the host ended `socket`: the close code and reason of a socket it closed at
 * once (counting any message it got first, which a refusal never sends), or the HTTP status of an
 * upgrade it answered without one.
 */
export function refusalOf(socket: WebSocket): Promise<Refusal> {
  let messages = 0;
  socket.on('message', () => messages++);
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString(), messages }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      socket.terminate();
    });
  });
}
