import { createServer, type Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL, type HubMember } from '../../src/protocol/hub.js';
import { hubProof, memberProof, newNonce } from '../../src/host/shared-port/secret.js';

// Peers of the hub protocol written by hand (they know the user's secret, as any process of the
// user can): a member that says what a test wants, and a hub that sends what a test wants.

/** A raw member joined to the hub on `port`: everything it received after the welcome. */
export interface RawMember {
  readonly ws: WebSocket;
  readonly id: string;
  readonly welcome: { hub: string; members: HubMember[] };
  readonly binary: Buffer[];
  readonly text: string[];
}

/** Joins the hub on `port` with a correct handshake (or with `hello` fields changed after the proof, to test the hub's check). */
export function joinRaw(port: number, secret: Buffer, id: string, options: { privatePort?: number; tamper?: (hello: Record<string, unknown>) => void } = {}): Promise<RawMember> {
  const memberNonce = newNonce();
  const ws = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, { headers: { [HUB_NONCE_HEADER]: memberNonce } });
  const binary: Buffer[] = [];
  const text: string[] = [];
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('close', (code: number) => reject(Object.assign(new Error(`closed with ${code} before the welcome`), { closeCode: code })));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return void binary.push(data);
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.t === 'challenge') {
        const hello: Record<string, unknown> = { id, port: options.privatePort ?? 1 };
        hello.proof = memberProof(secret, { hubPort: port, hubNonce: message.nonce as string, memberNonce }, { id, port: hello.port as number });
        options.tamper?.(hello);
        ws.send(JSON.stringify({ t: 'hello', ...hello }));
      } else if (message.t === 'welcome') {
        ws.removeAllListeners('close').removeAllListeners('error');
        ws.on('error', () => undefined);
        resolve({ ws, id, welcome: message as never, binary, text });
      } else text.push(data.toString());
    });
  });
}

/** A hub in this process that admits one member and then lets the test send it anything. */
export interface RawHub {
  readonly port: number;
  /** The first member that joined: its socket, once welcomed. */
  readonly member: Promise<WebSocket>;
  close(): Promise<void>;
}

export async function rawHub(secret: Buffer, hubId: string): Promise<RawHub> {
  const server: Server = createServer((_request, response) => response.end());
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(HUB_SUBPROTOCOL) ? HUB_SUBPROTOCOL : false) });
  let admitted!: (ws: WebSocket) => void;
  const member = new Promise<WebSocket>((resolve) => (admitted = resolve));
  server.on('upgrade', (request, socket, head) => {
    const memberNonce = String(request.headers[HUB_NONCE_HEADER]);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const hubNonce = newNonce();
      const hubPort = (server.address() as { port: number }).port;
      ws.once('message', (data: Buffer) => {
        const hello = JSON.parse(data.toString()) as { id: string };
        ws.send(JSON.stringify({ t: 'welcome', hub: hubId, members: [{ id: hubId, order: 0 }, { id: hello.id, order: 1 }] }));
        admitted(ws);
      });
      ws.send(JSON.stringify({ t: 'challenge', nonce: hubNonce, proof: hubProof(secret, { hubPort, hubNonce, memberNonce }) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    member,
    close: async () => {
      server.closeAllConnections();
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
