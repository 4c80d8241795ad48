// Measures the proposed PageOutbox fix for the stalled-page overshoot: check the mark *before*
// writing (a frame goes out only if it keeps the socket buffer within highWaterMark, or the buffer
// is empty), instead of after. Copies dist/host and dist/protocol to bench/archive/.patched/,
// applies the change to the compiled page-outbox.js, and runs the stall scenario against both.
// Run: node bench/archive/outbox-patch.mjs [--runs=N]
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from '../lib/cli.mjs';
import { startBenchServer } from '../lib/bench-server.mjs';
import { printRows } from '../lib/report.mjs';
import { run } from '../scenarios/stall.mjs';
import dropIn from '../clients/drop-in.js';
import { createWebViewHost } from '../clients/webview-host.js';

const dist = new URL('../../dist/', import.meta.url);
const patched = new URL('./.patched/dist/', import.meta.url);
rmSync(patched, { recursive: true, force: true });
for (const layer of ['host', 'protocol', 'hisewebsocket-min.js']) cpSync(new URL(layer, dist), new URL(layer, patched), { recursive: true });
const file = new URL('host/page-outbox.js', patched);
let code = readFileSync(file, 'utf8');
const replace = (from, to) => {
  if (!code.includes(from)) throw new Error(`page-outbox.js changed; patch does not apply at: ${from.slice(0, 60)}`);
  code = code.replace(from, to);
};
replace(
  `        if (!this.#congested) {
            this.#write(frame);
            return 'sent';
        }
        return`,
  `        if (!this.#congested && this.#fits(frame)) {
            this.#write(frame);
            return 'sent';
        }
        this.#congested = true;
        return`,
);
replace(
  `    #write(frame) {`,
  `    #fits(frame) {
        const buffered = this.#sink.bufferedAmount;
        return buffered === 0 || buffered + frame.bytes.byteLength <= this.#highWaterMark;
    }
    #write(frame) {`,
);
replace(
  `            const frame = this.#control[this.#controlHead];
            this.#control`,
  `            const frame = this.#control[this.#controlHead];
            if (!this.#fits(frame)) { this.#congested = true; break; }
            this.#control`,
);
replace(
  `            if (this.#congested)
                break;
            this.#streams.delete(id);`,
  `            if (this.#congested || !this.#fits(frame)) { this.#congested = true; break; }
            this.#streams.delete(id);`,
);
writeFileSync(file, code);
const { WebView: PatchedWebView } = await import(new URL('host/index.js', patched).href);

const options = parseArgs();
const server = await startBenchServer();
try {
  const adapters = {
    'drop-in': dropIn,
    'drop-in + outbox patch': { ...dropIn, name: 'drop-in + outbox patch', createHost: (o) => createWebViewHost({ ...o, WebViewClass: PatchedWebView }) },
  };
  const rows = await run({ server, quick: options.quick, runs: options.runs ?? 2, adapters, log: (m) => console.error(m) });
  printRows(rows);
  for (const r of rows) console.log(`${r.client}: max ${r.maxBufferedBytes} B, limit ${r.limitBytes} B, over by ${r.overshootBytes} B, coalesced ${r.framesCoalesced}, control drained ${r.controlDrainAfterResumeMs} ms after resume`);
} finally {
  await server.close();
}
