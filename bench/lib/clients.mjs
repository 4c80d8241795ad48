// The client adapters, in the order rows are printed.
import dropIn from '../clients/drop-in.js';
import hiseStock from '../clients/hise-stock.js';
import modern, { modernFlowControlOff, modernWhole } from '../clients/modern.js';
import rawWs, { rawWsCopy } from '../clients/raw-ws.js';
import socketIo from '../clients/socket-io.js';

export const CLIENTS = { 'raw-ws': rawWs, 'raw-ws-copy': rawWsCopy, 'drop-in': dropIn, modern, 'modern-fc-off': modernFlowControlOff, 'socket-io': socketIo, 'hise-stock': hiseStock };

/** Adapters a scenario may name (`--clients=`) that the full run leaves out. */
const EXTRA = { 'modern-whole': modernWhole };

export function client(name) {
  const adapter = CLIENTS[name] ?? EXTRA[name];
  if (!adapter) throw new Error(`unknown client '${name}' (known: ${Object.keys(CLIENTS).join(', ')})`);
  return adapter;
}
