// One instance on a shared port: serves index.html from its own private port, sends a tick every
// second to every page on the port, logs what any page sends and what other instances say.
// Run two with run.mjs (or start this file twice with the same PORT).
import { WebView } from 'hise-webview';

const name = process.argv[2] ?? `instance-${process.pid}`;
const wv = new WebView({ shared: true });
const port = await wv.setEnableWebSocket(Number(process.env.PORT ?? 8765));
await wv.setIndexFile(new URL('./index.html', import.meta.url).pathname);
const { instances } = wv;
const say = (text) => console.log(`[${name} ${instances.role}] ${text}`);

say(`on shared port ${port}; my pages: ${wv.url}`);
instances.on('join', (other) => say(`instance ${other.id} joined`));
instances.on('leave', (other) => say(`instance ${other.id} left`));
instances.on('role', (role) => say(`I am now the ${role}`));
instances.on('message', (id, data, from) => say(`${from} says ${id}: ${JSON.stringify(data)}`));
wv.setWebSocketCallback((data, page, id) => say(`page ${page.id} of instance ${page.instance} sent ${id ?? ''} ${JSON.stringify(data)}`));
wv.bindCallback('whoServesMe', () => name);

let tick = 0;
setInterval(() => {
  wv.send('tick', { from: name, tick: ++tick });
  if (tick % 5 === 0) instances.send('all', 'hello', { from: name, tick });
}, 1000);

process.on('SIGINT', async () => {
  await wv.close();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
