// Serves the page. The host library cannot serve pages yet, so this is a second loopback server;
// when `wv.setIndexFile()` lands, this whole file becomes `wv.setIndexFile(PUBLIC_DIR)` plus the
// config route. Kept apart so that swap touches nothing else.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const LOOPBACK = '127.0.0.1';

/**
 * Serves `public/` and `/config.js` (which tells the page the host's port) on loopback.
 * @param {{ port: number, hostPort: number }} options `port` 0 picks a free one
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startPageServer({ port, hostPort }) {
  // dev: re-read files on every request, so editing the page needs only a reload.
  const files = sirv(PUBLIC_DIR, { dev: true, etag: true });
  const config = `window.DEMO_CONFIG = ${JSON.stringify({ port: hostPort })};\n`;
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://x').pathname === '/config.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(config);
      return;
    }
    files(request, response, () => response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://${LOOPBACK}:${bound}/`,
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
