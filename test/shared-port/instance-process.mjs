// One shared-port instance in its own process, driven by its parent over IPC (advanced serialization,
// so typed arrays cross as they are). Usage: node instance-process.mjs PORT SHARED_DIR [ROOT_DIR]
import { WebView } from '../../dist/host/index.js';

const [port, sharedDirectory, root] = process.argv.slice(2);
const wv = new WebView({ shared: true, sharedDirectory, closeTimeout: 200 });
const tell = (event) => process.send?.(event);
const pageInfo = (page) => ({ id: page.id, instance: page.instance, extended: page.extended, path: page.path });
const state = () => ({ self: wv.instances.self, role: wv.instances.role, hub: wv.instances.hub, list: wv.instances.list, port: wv.port, url: wv.url, pages: wv.pages.map(pageInfo), lastFailoverMs: wv.instances.lastFailoverMs });

wv.on('error', (error) => tell({ ev: 'error', code: error.code, message: error.message }));
wv.on('connect', (page) => tell({ ev: 'connect', page: pageInfo(page) }));
wv.instances.on('join', (info) => tell({ ev: 'join', info }));
wv.instances.on('leave', (info) => tell({ ev: 'leave', info }));
wv.instances.on('role', (role) => tell({ ev: 'role', role, state: state() }));
wv.instances.on('message', (id, data, from) => tell({ ev: 'instance-message', id, data, from }));

try {
  await wv.setEnableWebSocket(Number(port));
} catch (error) {
  tell({ ev: 'failed', code: error.code, message: error.message });
  process.exit(3);
}
if (root) await wv.setIndexFile(root);
wv.setWebSocketCallback((data, page, id) => tell({ ev: 'message', id, data, page: pageInfo(page) }));
wv.bindCallback('whoServes', () => wv.instances.self);

const commands = {
  state: () => state(),
  send: ({ api, id, data }) => (api === 'hise' ? wv.sendToWebsocket(id, data) : wv.send(id, data)),
  retain: ({ ids }) => wv.retain(...ids),
  sendToOwn: ({ id, data }) => wv.pages.map((page) => wv.sendTo(page, id, data)),
  callFunction: async ({ name, arg }) => (await wv.callFunction(name, arg)).map((r) => (r.status === 'fulfilled' ? r.value : `rejected: ${r.reason?.message}`)),
  instanceSend: ({ to, id, data }) => wv.instances.send(to, id, data),
  parameter: ({ id, spec }) => wv.parameter(id, spec).value,
  parameterValue: ({ id }) => wv.parameters.get(id)?.value,
  setParameter: ({ id, value }) => {
    wv.parameters.get(id).set(value);
    return wv.parameters.get(id).value;
  },
  close: async () => {
    await wv.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};
process.on('message', async ({ seq, cmd, ...args }) => {
  try {
    tell({ ev: 'reply', seq, value: await commands[cmd](args) });
  } catch (error) {
    tell({ ev: 'reply', seq, error: `${error.code ?? ''} ${error.message}` });
  }
});
tell({ ev: 'ready', state: state() });
