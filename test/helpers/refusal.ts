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

/**
 * A page that dials the host on `?port=` (with `?token=` when given) and logs how that went:
 * `admitted` on the first message, else `closed CODE REASON`. A refused socket opens too, then
 * closes: only a message proves the page was admitted.
 */
export const PROBE_PAGE = `<!doctype html><script>
const q = new URLSearchParams(location.search);
const s = new WebSocket('ws://localhost:' + q.get('port') + '/' + (q.has('token') ? '?token=' + q.get('token') : ''));
let told = false;
s.onmessage = () => { if (!told) { told = true; console.log('admitted'); } };
s.onclose = (e) => console.log('closed ' + e.code + ' ' + e.reason);
</script>`;

/**
 * A page from disk written the HISE way, with HISE's stock client at `client` (from HISE_CLIENT_JS,
 * never copied): HISE's client dials `'ws://localhost:' + port`, so the token rides on the port
 * argument. On the first message it logs `admitted` (the JavaScript expression, over the message's
 * `id`), else `closed CODE REASON`.
 */
export function hiseFilePage(client: string, admitted: string): string {
  return `<!doctype html><head><script src="${client}"></script><script>
const q = new URLSearchParams(location.search);
const server = new HiseWebSocketServer(q.get('port') + (q.has('token') ? '/?token=' + q.get('token') : ''));
let told = false;
server.addEventListener((id) => { if (!told) { told = true; console.log(${admitted}); } });
addEventListener('load', () => server.socket.addEventListener('close', (e) => console.log('closed ' + e.code + ' ' + e.reason)));
</script></head><body>from disk</body>`;
}
