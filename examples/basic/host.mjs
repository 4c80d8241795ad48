// The smallest complete webview: a host that streams a sine wave and a counter to a page that
// uses HISE's client API, and logs what the page sends back. Run: npm run example (it builds first)
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { WebView } from 'hise-webview';

const wv = new WebView();
const port = await wv.setEnableWebSocket(Number(process.env.PORT ?? 0));
wv.setWebSocketCallback((data) => console.log('page says:', data));
wv.on('connect', (page) => console.log(`page ${page.id} connected from ${page.origin ?? 'a non-browser client'}`));

// A registered buffer, as in HISE: fill it, then updateBuffer sends its current contents.
const scope = new Float32Array(512);
wv.addBufferToWebSocket(0, scope);
let phase = 0;
let frames = 0;
setInterval(() => {
  for (let i = 0; i < scope.length; i++) scope[i] = Math.sin((phase += (2 * Math.PI * 3) / scope.length));
  wv.updateBuffer(0);
  if (++frames % 30 === 0) wv.sendToWebSocket('status', { frames, pages: wv.pages.length });
}, 1000 / 30);

// The page itself, served from another loopback port as a dev server would.
const html = (await readFile(new URL('./index.html', import.meta.url), 'utf8')).replaceAll('%PORT%', String(port));
const pages = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(html));
pages.listen(0, '127.0.0.1', () => {
  console.log(`hise-webview host on ws://localhost:${port}`);
  console.log(`open http://127.0.0.1:${pages.address().port}/ in a browser (Ctrl+C to stop)`);
});

process.on('SIGINT', async () => {
  pages.close();
  await wv.close();
  process.exit(0);
});
