import { WebSocket } from 'ws';
import { HUB_BUSY_HEADER, HUB_CLOSING_HEADER, HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL, isStreamFrame, parseHubControl, type HubControl, type HubMember } from '../../protocol/hub.js';
import { WebViewError } from '../errors.js';
import { HUB_HANDSHAKE_TIMEOUT_MS, MAX_MEMBER_BACKLOG_BYTES, RELAY_HIGH_WATER_BYTES } from './hub.js';
import { hubProof, memberProof, newNonce, sameProof } from './secret.js';

/**
 * Why joining failed: nobody listens on the port (`'absent'`), the hub's handshake slots are taken
 * (`'busy'`: a 503, retry with backoff), or what listens is not a hub of this user (`'foreign'`).
 */
export class JoinFailure extends Error {
  constructor(
    readonly kind: 'absent' | 'busy' | 'foreign',
    message: string,
  ) {
    super(message);
  }
}

/** What a member's link reports. */
export interface HubLinkEvents {
  data(frame: Uint8Array): void;
  control(message: HubControl): void;
  /** The link closed: the hub went away (`bye` true when it said so first). */
  lost(bye: boolean): void;
  /** The hub sent something this link cannot take (`HUB_PROTOCOL_ERROR`): reported, the link goes on. */
  report(error: WebViewError): void;
}

/** A member's authenticated link to the hub. */
export class HubLink {
  readonly hub: string;
  readonly members: HubMember[];
  readonly #socket: WebSocket;
  #bye = false;

  private constructor(socket: WebSocket, welcome: { hub: string; members: HubMember[] }, events: HubLinkEvents, early: Buffer[]) {
    this.#socket = socket;
    this.hub = welcome.hub;
    this.members = welcome.members;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // Contained: a frame or control message of the wrong shape (or a bug behind it) is reported, never thrown out of a ws listener.
      try {
        if (isBinary) return events.data(data);
        const message = parseHubControl(data.toString());
        if (message === undefined) throw new Error('a control message of no known kind, or with a field of the wrong type');
        if (message.t === 'bye') this.#bye = true;
        events.control(message);
      } catch (error) {
        events.report(new WebViewError('HUB_PROTOCOL_ERROR', `the hub sent what this instance cannot take: ${String((error as Error)?.message ?? error)}`, { cause: error }));
      }
    });
    socket.once('close', () => events.lost(this.#bye));
    // Frames that arrived with the welcome (the join state) are delivered once the caller is ready.
    queueMicrotask(() => {
      for (const frame of early) events.data(frame);
    });
  }

  /**
   * Joins the hub on `port` of this machine, proving knowledge of `secret` and checking the hub's proof.
   * @throws {JoinFailure}
   */
  static join(port: number, options: { id: string; privatePort: number; secret: Buffer; maxPayload: number }, events: HubLinkEvents): Promise<HubLink> {
    const memberNonce = newNonce();
    const socket = new WebSocket(`ws://127.0.0.1:${port}${HUB_PATH}`, HUB_SUBPROTOCOL, {
      headers: { [HUB_NONCE_HEADER]: memberNonce },
      handshakeTimeout: HUB_HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
      maxPayload: options.maxPayload,
      // Masking guards proxies' caches against a browser's frames; this link is loopback between
      // instances of one user, so an all-zero mask (which ws does not apply) saves an XOR per byte.
      generateMask: (mask: Buffer) => void mask.fill(0),
    });
    return new Promise((resolve, reject) => {
      let step: 'challenge' | 'welcome' = 'challenge';
      const early: Buffer[] = [];
      const fail = (failure: JoinFailure): void => {
        clearTimeout(timer);
        socket.removeAllListeners('message');
        socket.on('error', () => undefined);
        socket.terminate();
        reject(failure);
      };
      const timer = setTimeout(() => fail(new JoinFailure('foreign', `port ${port} did not complete the hub handshake in time`)), HUB_HANDSHAKE_TIMEOUT_MS);
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // Nobody listens (the port is between hubs); anything else on the port is not a hub of ours.
        const absent = error.code === 'ECONNREFUSED';
        fail(new JoinFailure(absent ? 'absent' : 'foreign', `cannot join the hub on port ${port}: ${error.message}`));
      });
      socket.once('unexpected-response', (_request, response) => {
        if (response.headers[HUB_CLOSING_HEADER] !== undefined) return fail(new JoinFailure('absent', `the hub on port ${port} is closing`));
        // Its handshake slots are taken (perhaps by silent peers): busy, not foreign; the caller retries with backoff.
        if (response.statusCode === 503) return fail(new JoinFailure('busy', `the hub on port ${port} is busy (HTTP 503)`));
        fail(new JoinFailure('foreign', `port ${port} is held by something that is not a hise-webview hub (HTTP ${response.statusCode})`));
      });
      socket.once('close', () => fail(new JoinFailure('foreign', `the hub on port ${port} refused this instance (is it another user's?)`)));
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          if (step === 'welcome') return void early.push(data);
          return fail(new JoinFailure('foreign', `port ${port} sent binary data before the handshake`));
        }
        const message = parseHubControl(data.toString());
        if (step === 'challenge') {
          // Checked against the port this instance dialled: a hub of this user on another port, reached through a relay, fails.
          const binding = message?.t === 'challenge' ? { hubPort: port, hubNonce: message.nonce, memberNonce } : undefined;
          if (message?.t !== 'challenge' || binding === undefined || !sameProof(hubProof(options.secret, binding), message.proof)) {
            return fail(new JoinFailure('foreign', `the hub on port ${port} does not prove this user's secret for this port`));
          }
          step = 'welcome';
          const hello = { id: options.id, port: options.privatePort };
          socket.send(JSON.stringify({ t: 'hello', proof: memberProof(options.secret, binding, hello), ...hello } satisfies HubControl));
        } else if (message?.t === 'welcome') {
          clearTimeout(timer);
          socket.removeAllListeners('message').removeAllListeners('close').removeAllListeners('error').removeAllListeners('unexpected-response');
          socket.on('error', () => undefined); // a close follows, reported as lost
          resolve(new HubLink(socket, message, events, early));
        }
      });
    });
  }

  /** Sends a data frame to the hub; false when it is a stream frame and the link is congested (it was not sent). */
  send(frame: Uint8Array): boolean {
    if (this.#socket.readyState !== WebSocket.OPEN) return false;
    if (isStreamFrame(frame) && this.#socket.bufferedAmount > RELAY_HIGH_WATER_BYTES) return false;
    // A hub that stopped reading: not buffered for without bound (a string or JSON frame stays in the relay log, resent on re-join).
    if (this.#socket.bufferedAmount > MAX_MEMBER_BACKLOG_BYTES) return false;
    this.#socket.send(frame);
    return true;
  }

  /** Sends a control message to the hub; false when the link is down or the hub has stopped reading (over {@link MAX_MEMBER_BACKLOG_BYTES} waiting). */
  control(message: HubControl): boolean {
    if (this.#socket.readyState !== WebSocket.OPEN || this.#socket.bufferedAmount > MAX_MEMBER_BACKLOG_BYTES) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  /** Leaves the hub. */
  close(): void {
    this.#socket.close(1001, 'instance closing');
  }
}
