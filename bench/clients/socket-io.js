// Socket.IO with binary payloads: socket.io server, websocket transport only (its fastest), and the
// browser bundle node_modules/socket.io-client/dist/socket.io.min.js. Calls use `emitWithAck`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { waitFor } from './webview-host.js';

export default {
  name: 'socket-io',
  label: 'Socket.IO binary',
  available: () => ({ ok: true }),
  scripts: () => ['/socket.io/socket.io.min.js'],
  async createHost() {
    const http = createServer();
    const io = new Server(http, { serveClient: false, transports: ['websocket'], perMessageDeflate: false, cors: { origin: '*' } });
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    let handler = (arg) => arg;
    io.on('connection', (socket) => {
      socket.on('echo', (arg, ack) => ack(handler(arg)));
    });
    const sockets = () => io.of('/').sockets;
    return {
      kind: 'socket-io',
      port: http.address().port,
      pageCount: () => sockets().size,
      waitForPages: (n, timeoutMs = 20_000) => waitFor(() => sockets().size >= n, timeoutMs, `${n} page(s) to connect`),
      sendFloats(_id, f32) {
        io.emit('f', Buffer.from(f32.slice().buffer));
      },
      sendText(_id, text) {
        io.emit('t', text);
      },
      /** Bytes engine.io holds (its write buffer) plus what its ws socket buffers, for the fullest page. */
      buffered() {
        let most = 0;
        for (const socket of sockets().values()) {
          const conn = socket.conn;
          let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
          for (const packet of conn.writeBuffer) bytes += packet.data?.byteLength ?? packet.data?.length ?? 0;
          if (bytes > most) most = bytes;
        }
        return most;
      },
      handle(fn) {
        handler = fn;
      },
      async close() {
        io.disconnectSockets(true);
        await new Promise((r) => io.close(() => r()));
      },
    };
  },
  browser: function setupSocketIo(params) {
    const socket = io(`http://127.0.0.1:${params.port}`, { transports: ['websocket'] });
    let onFloats = () => {};
    let onText = () => {};
    socket.on('f', (buffer) => onFloats('', new Float32Array(buffer)));
    socket.on('t', (text) => onText('', text));
    return {
      ready: new Promise((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
      }),
      onFloats: (fn) => (onFloats = fn),
      onText: (fn) => (onText = fn),
      send: (text) => socket.emit('t', text),
      call: (arg) => socket.emitWithAck('echo', arg),
    };
  },
};
