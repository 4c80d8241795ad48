// One instance of the shared port the hub fuzz attacks, in its own process so that a crash is seen
// as an exit and its memory is measured apart from the fuzzer's. The first holds the port (the hub),
// the others join it. Reports over IPC: its id and port when up; on 'measure', memory after a GC,
// its error events by code (a member's "could not be read" apart: the hub must never forward such a
// frame), the instances it sees, and how many instance messages it got; 'sync' messages as they come.
//
//   node --expose-gc scripts/fuzz-hub-host.mjs <port> <sharedDirectory> <maxPayload>
import { WebView } from '../dist/host/index.js';
import { answerParent } from './fuzz-child.mjs';

const [port, sharedDirectory, maxPayload] = process.argv.slice(2);
const wv = new WebView({ shared: true, sharedDirectory, maxPayload: Number(maxPayload), heartbeatInterval: 0 });
const errors = {};
let messages = 0;
wv.on('error', (error) => {
  const key = error.message.includes('could not be read') ? `${error.code}/undecodable` : error.code;
  errors[key] = (errors[key] ?? 0) + 1;
});
wv.instances.on('message', (id, data) => {
  messages++;
  if (id === 'sync') process.send({ sync: data });
});
const shared = await wv.setEnableWebSocket(Number(port));

answerParent(wv, () => ({ errors, messages, instances: wv.instances.list.length, role: wv.instances.role }));
process.send({ port: shared, self: wv.instances.self, role: wv.instances.role });
