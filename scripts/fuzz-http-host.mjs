// The host the HTTP fuzz attacks, in its own process so that a crash is seen as an exit and its
// memory is measured apart from the fuzzer's. Serves a root with an HTML page, a binary asset,
// dotfiles, a symlink out of the root and a dangling one; answers {rss} requests over IPC after a GC.
//
//   node --expose-gc scripts/fuzz-http-host.mjs <root> <enableCache>
import { WebView } from '../dist/host/index.js';
import { answerParent } from './fuzz-child.mjs';

const [root, cache] = process.argv.slice(2);
const wv = new WebView({ token: 'auto', heartbeatInterval: 0, handshakeTimeout: 200 });
wv.enableCache = cache === 'true';
const errors = {};
const refused = {};
let connects = 0;
wv.on('error', (error) => (errors[error.code] = (errors[error.code] ?? 0) + 1));
wv.on('refused', (info) => (refused[info.reason] = (refused[info.reason] ?? 0) + 1));
wv.on('connect', () => connects++);
const port = await wv.setEnableWebSocket(0);
await wv.setIndexFile(root);

answerParent(wv, () => ({ errors, refused, connects, pages: wv.pages.length }));
process.send({ port, token: wv.token });
