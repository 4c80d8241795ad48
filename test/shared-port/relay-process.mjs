// Another local user's process in the middle of a handshake (issue 23, item 1): it holds LISTEN_PORT,
// which an instance of the user will join, and relays that joiner's handshake to the real hub on
// HUB_PORT, frame by frame, both ways (with `rewrite`, it also sets the hello's private port to its
// own listener, to have the hub pipe pages to it). It knows no secret. It tells its parent over IPC
// everything it saw. Usage: node relay-process.mjs LISTEN_PORT HUB_PORT [rewrite]
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const [listenPort, hubPort, mode] = process.argv.slice(2);
const HUB_PATH = '/__hise-webview/hub';
const NONCE = 'x-hise-webview-nonce';
const tell = (event) => process.send?.(event);
const server = createServer((_request, response) => response.end('relay'));
const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => [...offered][0] ?? false });

server.on('upgrade', (request, socket, head) => {
  if (!request.url?.startsWith(HUB_PATH)) return socket.destroy();
  const protocol = request.headers['sec-websocket-protocol'];
  // To the real hub, as the joiner: the joiner's nonce and subprotocol (the Host is the hub's own).
  const upstream = new WebSocket(`ws://127.0.0.1:${hubPort}${HUB_PATH}`, protocol, { headers: { [NONCE]: request.headers[NONCE] } });
  upstream.on('error', (error) => tell({ ev: 'upstream-error', message: error.message }));
  upstream.on('unexpected-response', (_req, response) => tell({ ev: 'upstream-status', status: response.statusCode }));
  upstream.once('open', () => {
    wss.handleUpgrade(request, socket, head, (joiner) => {
      joiner.on('error', () => undefined);
      upstream.on('message', (data, isBinary) => {
        tell({ ev: 'from-hub', binary: isBinary, text: isBinary ? undefined : data.toString() });
        if (joiner.readyState === WebSocket.OPEN) joiner.send(data, { binary: isBinary });
      });
      joiner.on('message', (data, isBinary) => {
        let out = data;
        if (!isBinary && mode === 'rewrite') {
          const message = JSON.parse(data.toString());
          if (message.t === 'hello') out = JSON.stringify({ ...message, port: Number(listenPort) });
        }
        tell({ ev: 'from-joiner', binary: isBinary, text: isBinary ? undefined : out.toString() });
        if (upstream.readyState === WebSocket.OPEN) upstream.send(out, { binary: isBinary });
      });
      joiner.on('close', (code) => {
        tell({ ev: 'joiner-closed', code });
        upstream.terminate();
      });
      upstream.on('close', (code) => {
        tell({ ev: 'hub-closed', code });
        joiner.terminate();
      });
    });
  });
});
server.listen(Number(listenPort), '127.0.0.1', () => tell({ ev: 'listening' }));
