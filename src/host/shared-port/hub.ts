import type { IncomingMessage } from 'node:http';
import { connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeHubData, HUB_BUSY_HEADER, HUB_CLOSING_HEADER, HUB_NONCE_HEADER, HUB_PATH, HUB_SUBPROTOCOL, HubOp, INSTANCE_PARAM, isStreamFrame, parseHubControl, readHubHeader, type HubControl, type HubData, type HubMember } from '../../protocol/hub.js';
import { WebViewError } from '../errors.js';
import { writeStatus } from '../http/guard.js';
import type { ParsedRequest } from '../http/request.js';
import { hubProof, memberProof, newNonce, sameProof } from './secret.js';

/** Milliseconds a joining instance has for the whole join, from dialling to the welcome. */
export const HUB_HANDSHAKE_TIMEOUT_MS = 5_000;
/** Milliseconds the hub waits for a joiner's hello after its challenge; then the socket is destroyed (not closed: a silent peer would hold the slot for ws's 30 s close wait). */
export const HUB_HELLO_TIMEOUT_MS = 2_000;
/** Bytes waiting on a link above which stream frames (typed arrays) are not sent on it. */
export const RELAY_HIGH_WATER_BYTES = 1024 * 1024;
/** Bytes waiting on a member's link past which it is cut off (a frozen instance must not grow the hub's memory); it re-joins when it runs again. */
export const MAX_MEMBER_BACKLOG_BYTES = 32 * 1024 * 1024;
/** Largest hub frame, in bytes (a page message may be up to `maxPayload`, plus the header). */
const HUB_MAX_PAYLOAD_SLACK = 70_000;
/** Instances at most in the join handshake at once; more are answered 503 with {@link HUB_BUSY_HEADER} and retry (each may hold a frame of up to the relay limit for the handshake's time). */
export const MAX_PENDING_JOINS = 4;
/** Milliseconds a refused joiner's socket lingers for its close frame to go out before it is destroyed. */
const REFUSAL_LINGER_MS = 250;

/** The largest hub frame: a page message or send of `maxPayload` bytes, with the relay header around it. */
export function relayLimit(maxPayload: number): number {
  return maxPayload + HUB_MAX_PAYLOAD_SLACK;
}

/** What the hub needs of its instance. */
export interface HubContext {
  readonly selfId: string;
  readonly secret: Buffer;
  /** The port the hub listens on: bound into both proofs of every handshake. */
  port(): number;
  readonly maxPayload: number;
  /** A data frame from a member, checked and decoded: deliver it here (the hub forwards it to the other members itself). */
  data(frame: Uint8Array, data: HubData): void;
  /** A control message for this instance (`msg` to it or to all, `page-gone`). */
  control(message: HubControl): void;
  /** The members changed. */
  membersChanged(members: HubMember[]): void;
  /** Frames a joining member gets before anything live (retained state, a failover's replay). */
  joinState(): Uint8Array[];
  report(error: WebViewError): void;
}

interface Member {
  readonly id: string;
  readonly order: number;
  readonly port: number;
  readonly socket: WebSocket;
  /** Highest data sequence number forwarded for it and not yet acknowledged. */
  unacked: number;
}

/**
 * The hub's side of a shared port: authenticates instances that join on {@link HUB_PATH}, forwards
 * their frames to each other, and pipes each page socket tagged with a member's id to that
 * member's private port, so the member serves its own pages with all its own checks.
 */
export class Hub {
  readonly #context: HubContext;
  readonly #wss: WebSocketServer;
  readonly #members = new Map<string, Member>();
  readonly #pipes = new Set<Socket | Duplex>();
  #nextOrder = 1;
  /** Stream frames not forwarded to a congested member. */
  streamFramesDropped = 0;
  #ackScheduled = false;
  #closed = false;
  /** Joins between the upgrade and their hello (bounded by MAX_PENDING_JOINS). */
  #pendingJoins = 0;

  constructor(context: HubContext) {
    this.#context = context;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: relayLimit(context.maxPayload),
      handleProtocols: (offered) => (offered.has(HUB_SUBPROTOCOL) ? HUB_SUBPROTOCOL : false),
    });
  }

  /** How many instances have joined (the hub not counted). */
  get memberCount(): number {
    return this.#members.size;
  }

  /** The instances, hub first, in join order. */
  get members(): HubMember[] {
    return [{ id: this.#context.selfId, order: 0 }, ...[...this.#members.values()].map(({ id, order }) => ({ id, order }))];
  }

  /**
   * Takes an upgrade that is the hub's: an instance joining, or a page socket of a member. False
   * for everything else (the hub instance's own pages), which goes on to the normal checks.
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, parsed: ParsedRequest): boolean {
    if (parsed.pathname === HUB_PATH) {
      this.#join(request, socket, head);
      return true;
    }
    const instance = parsed.query.get(INSTANCE_PARAM);
    if (instance === null || instance === this.#context.selfId) return false;
    const member = this.#members.get(instance);
    if (member === undefined || this.#closed) writeStatus(socket, 503); // gone, or not rejoined yet: the page's client retries
    else this.#pipe(request, socket, head, member.port);
    return true;
  }

  /**
   * Sends a data frame to every member but `except`. Stream frames skip a member whose link has
   * over {@link RELAY_HIGH_WATER_BYTES} waiting (a newer frame follows), as a page's outbox coalesces them.
   */
  forward(frame: Uint8Array, except?: string): void {
    const stream = isStreamFrame(frame);
    for (const member of this.#members.values()) {
      if (member.id === except) continue;
      if (stream && member.socket.bufferedAmount > RELAY_HIGH_WATER_BYTES) this.streamFramesDropped++;
      else this.#sendTo(member, frame);
    }
  }

  /** Sends to one member under the backlog rule (data and control alike): one that stopped reading is cut off, not buffered for. */
  #sendTo(member: Member, data: Uint8Array | string): boolean {
    if (member.socket.bufferedAmount > MAX_MEMBER_BACKLOG_BYTES) {
      this.#cutOff(member);
      return false;
    }
    member.socket.send(data);
    return true;
  }

  #cutOff(member: Member): void {
    if (this.#members.get(member.id) !== member) return;
    this.#members.delete(member.id);
    this.#membersChanged();
    this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `instance ${member.id} stopped reading with over ${MAX_MEMBER_BACKLOG_BYTES} bytes waiting; it was cut off (it re-joins when it reads again)`));
    member.socket.terminate();
  }

  /**
   * Sends a control message to one member, or to every member but `except`, under the same backlog
   * rule as data frames ({@link MAX_MEMBER_BACKLOG_BYTES}). False when `to` is not a member (or was just cut off).
   */
  control(message: HubControl, to?: string, except?: string): boolean {
    const text = JSON.stringify(message);
    if (to !== undefined) {
      const member = this.#members.get(to);
      return member !== undefined && this.#sendTo(member, text);
    }
    for (const member of this.#members.values()) if (member.id !== except) this.#sendTo(member, text);
    return true;
  }

  /** Says goodbye to every member and cuts the page sockets piped through this hub. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.control({ t: 'bye' });
    for (const member of this.#members.values()) member.socket.close(1001, 'hub closing');
    for (const pipe of this.#pipes) pipe.destroy();
    this.#pipes.clear();
  }

  #join(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A browser always sends Origin: a page can never pose as an instance.
    if (this.#closed) {
      // The joiner tries again and finds the successor (not a refusal: see HUB_CLOSING_HEADER).
      if (!socket.destroyed) socket.end(`HTTP/1.1 503 Service Unavailable\r\n${HUB_CLOSING_HEADER}: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const memberNonce = request.headers[HUB_NONCE_HEADER];
    if (request.headers.origin !== undefined || typeof memberNonce !== 'string' || !/^[0-9a-f]{32}$/.test(memberNonce)) {
      writeStatus(socket, 403);
      return;
    }
    if (this.#pendingJoins >= MAX_PENDING_JOINS) {
      // Busy, not foreign: the joiner retries with backoff (a silent joiner holds a slot at most HUB_HELLO_TIMEOUT_MS).
      if (!socket.destroyed) socket.end(`HTTP/1.1 503 Service Unavailable\r\n${HUB_BUSY_HEADER}: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.#pendingJoins++;
    let pending = true;
    const settle = (): void => {
      if (pending) this.#pendingJoins--;
      pending = false;
    };
    socket.once('close', settle);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      if (ws.protocol !== HUB_SUBPROTOCOL) {
        ws.terminate();
        return;
      }
      const binding = { hubPort: this.#context.port(), hubNonce: newNonce(), memberNonce };
      const refuse = (why: string): void => {
        clearTimeout(timer);
        settle();
        this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `an instance was refused at the hub: ${why}`));
        // The slot is free now (settled); the close code says why, and the socket goes a moment later
        // whatever the peer does (ws would wait 30 s for a silent peer's close frame).
        ws.close(4401, 'refused');
        setTimeout(() => ws.terminate(), REFUSAL_LINGER_MS).unref();
      };
      const timer = setTimeout(() => refuse('no answer to the challenge in time'), HUB_HELLO_TIMEOUT_MS);
      ws.once('message', (data: Buffer, isBinary: boolean) => {
        settle();
        try {
          const hello = isBinary ? undefined : parseHubControl(data.toString());
          if (hello?.t !== 'hello') return refuse('its first message was not a well-formed hello');
          // The proof covers the hub's port and every field of the hello: a relayed handshake, or a rewritten id or port, fails here.
          if (!sameProof(memberProof(this.#context.secret, binding, { id: hello.id, port: hello.port }), hello.proof)) return refuse('its proof does not hold for this port and hello (another user, or a relayed handshake)');
          if (this.#members.has(hello.id) || hello.id === this.#context.selfId) return refuse('its id is taken');
          clearTimeout(timer);
          this.#admit(ws, hello.id, hello.port);
        } catch (error) {
          refuse(`its hello could not be read: ${String((error as Error)?.message ?? 'unknown error')}`);
        }
      });
      ws.once('close', () => {
        clearTimeout(timer); // gone before its hello: nothing to report
        settle();
      });
      ws.send(JSON.stringify({ t: 'challenge', nonce: binding.hubNonce, proof: hubProof(this.#context.secret, binding) } satisfies HubControl));
    });
  }

  #admit(socket: WebSocket, id: string, port: number): void {
    const member: Member = { id, order: this.#nextOrder++, port, socket, unacked: 0 };
    this.#members.set(id, member);
    socket.send(JSON.stringify({ t: 'welcome', hub: this.#context.selfId, members: this.members } satisfies HubControl));
    for (const frame of this.#context.joinState()) socket.send(frame);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // Contained like a page's socket: nothing a member sends (nor a bug behind it) throws out of a ws listener.
      try {
        if (isBinary) this.#data(member, data);
        else this.#text(member, data);
      } catch (error) {
        this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `a message from instance ${id} could not be handled: ${String((error as Error)?.message ?? error)}`, { cause: error }));
      }
    });
    socket.once('close', () => {
      if (this.#members.get(id) !== member) return; // cut off already
      this.#members.delete(id);
      this.#membersChanged();
    });
    this.#membersChanged();
  }

  #membersChanged(): void {
    if (this.#closed) return;
    const members = this.members;
    this.control({ t: 'members', hub: this.#context.selfId, members });
    this.#context.membersChanged(members);
  }

  #data(member: Member, frame: Buffer): void {
    let data: HubData;
    try {
      const header = readHubHeader(frame); // every field checked by type
      if (header.o !== member.id) throw new Error(`it sent a frame as instance ${header.o}`);
      if (header.p !== undefined && header.p.instance !== member.id) throw new Error(`it sent a page message as a page of instance ${header.p.instance}`);
      if (frame[0] === HubOp.State) throw new Error('it sent a state frame (only the hub sends those)');
    } catch (error) {
      this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `instance ${member.id} sent a bad frame: ${(error as Error).message}`, { cause: error }));
      member.socket.close(1002, 'bad frame');
      setTimeout(() => member.socket.terminate(), REFUSAL_LINGER_MS).unref();
      return;
    }
    try {
      data = decodeHubData(frame); // the value too: a frame that does not decode is not forwarded to anyone
    } catch (error) {
      this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `instance ${member.id} sent a frame that does not decode (dropped, not forwarded): ${(error as Error).message}`, { cause: error }));
      return;
    }
    this.forward(frame, member.id);
    this.#context.data(frame, data);
    member.unacked = data.header.s;
    this.#scheduleAcks();
  }

  #text(member: Member, bytes: Buffer): void {
    if (bytes.byteLength > this.#context.maxPayload) {
      this.#context.report(new WebViewError('MESSAGE_TOO_LARGE', `instance ${member.id} sent a control message of ${bytes.byteLength} bytes, over maxPayload ${this.#context.maxPayload}: dropped`));
      return;
    }
    const message = parseHubControl(bytes.toString());
    if (message?.t === 'msg' && message.from === member.id) {
      if (message.to === '*') this.control(message, undefined, member.id);
      else if (message.to !== this.#context.selfId) this.control(message, message.to);
      if (message.to === '*' || message.to === this.#context.selfId) this.#context.control(message);
    } else if (message?.t === 'page-gone' && message.instance === member.id) {
      this.control(message, undefined, member.id);
      this.#context.control(message);
    } else {
      this.#context.report(new WebViewError('HUB_PROTOCOL_ERROR', `instance ${member.id} sent an unknown or forged control message`));
    }
  }

  /** One cumulative acknowledgement per member per turn of the event loop, not one per frame. */
  #scheduleAcks(): void {
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    setImmediate(() => {
      this.#ackScheduled = false;
      for (const member of this.#members.values()) {
        if (member.unacked === 0) continue;
        this.#sendTo(member, JSON.stringify({ t: 'ack', s: member.unacked } satisfies HubControl));
        member.unacked = 0;
      }
    });
  }

  /** Replays the upgrade request to the member's private port and joins the two sockets byte for byte. */
  #pipe(request: IncomingMessage, socket: Duplex, head: Buffer, port: number): void {
    const upstream = connectTcp({ port, host: '127.0.0.1', noDelay: true });
    const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
    for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.byteLength > 0) upstream.write(head);
    (socket as Socket).setNoDelay?.(true);
    this.#pipes.add(socket);
    const cut = (): void => {
      this.#pipes.delete(socket);
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    upstream.pipe(socket);
    socket.pipe(upstream);
  }
}
