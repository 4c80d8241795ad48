import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { decodeHubData, encodeHubData, HubFlag, HubOp, isStreamFrame, readHubHeader, type HubControl, type HubData, type HubDataHeader, type HubMember, type RelayedPage } from '../../protocol/hub.js';
import { WebViewError } from '../errors.js';
import type { ParsedRequest } from '../http/request.js';
import { listenHttp, type HttpHandlers, type HttpListener } from '../http/listener.js';
import { Page } from '../pages/page.js';
import { Hub, relayLimit } from './hub.js';
import { HubLink, JoinFailure } from './hub-link.js';
import { MAX_RELAY_LOG_BYTES, RelayLog } from './relay-log.js';
import { RemotePages } from './remote-pages.js';
import type { Instances } from './instances.js';
import { defaultSharedDirectory, loadSecret } from './secret.js';
import type { SharedHost } from './shared-host.js';

/** Milliseconds each rank waits before trying to take the port after the hub went: the lowest join order goes first. */
export const ELECTION_STEP_MS = 150;
/** Milliseconds between attempts while the port is between hubs. */
const RETRY_MS = 15;
/** Longest wait between attempts when no hub can be reached for a while. */
const MAX_RETRY_MS = 500;
/** Attempts at start-up while the port flips between held and free before giving up with `PORT_IN_USE`. */
const START_ATTEMPTS = 40;
/** Milliseconds a start-up keeps retrying a busy hub (its handshake slots taken, HTTP 503) before giving up with `PORT_IN_USE`. */
const BUSY_RETRY_MS = 10_000;
/** Milliseconds a new hub keeps what it relayed since it took over, for instances still re-joining. */
export const FAILOVER_REPLAY_MS = 5_000;

/**
 * One instance's part in a shared port: holds it as the hub or joins the hub, relays this
 * instance's broadcasts and page messages to the others and theirs to it (each frame once, by
 * origin and sequence number), and takes over or re-joins when the hub goes.
 */
export class SharedPort {
  readonly instances: Instances;
  readonly #host: SharedHost;
  readonly #secret: Buffer;
  #port: number;
  #hub: Hub | undefined;
  #hubListener: HttpListener | undefined;
  #link: HubLink | undefined;
  #seq = 0;
  readonly #log: RelayLog;
  readonly #lastSeen = new Map<string, number>();
  /** The latest frame of every retained id, from any instance: what a joining instance starts from. */
  readonly #retained = new Map<string, Uint8Array>();
  /** While a new hub's failover window is open: everything it relayed, for instances still re-joining. */
  #replay: Uint8Array[] | undefined;
  #replayBytes = 0;
  readonly #remotePages = new RemotePages();
  readonly #joinHooks = new Set<() => void>();
  #closed = false;
  /** Between losing the hub and holding or having joined the next. */
  #failingOver = false;

  private constructor(port: number, instances: Instances, host: SharedHost, secret: Buffer) {
    this.#port = port;
    this.instances = instances;
    this.#host = host;
    this.#secret = secret;
    this.#log = new RelayLog((error) => host.report(error));
  }

  /**
   * Takes `port` as the hub when it is free, joins the hub holding it otherwise.
   * @throws {WebViewError} `PORT_IN_USE` (held by something that is not a hub of this user), `SHARED_SECRET_UNSAFE`, `LISTEN_FAILED`
   */
  static async start(port: number, instances: Instances, host: SharedHost): Promise<SharedPort> {
    const shared = new SharedPort(port, instances, host, loadSecret(host.directory ?? defaultSharedDirectory()));
    instances.setReporter((error) => host.report(error));
    const busySince = performance.now();
    let pause = RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      const outcome = await shared.#takeOrJoin();
      if (outcome === 'done') return shared;
      if (outcome === 'busy') {
        // The hub's handshake slots are taken (joiners that never answer hold one for HUB_HELLO_TIMEOUT_MS): back off and retry.
        if (performance.now() - busySince > BUSY_RETRY_MS) throw new WebViewError('PORT_IN_USE', `the hise-webview hub on port ${port} stayed busy (every handshake slot taken) for ${BUSY_RETRY_MS} ms`);
        await delay(pause);
        pause = Math.min(MAX_RETRY_MS, pause * 2);
        continue;
      }
      if (attempt >= START_ATTEMPTS) throw new WebViewError('PORT_IN_USE', `port ${port} is in use and no hise-webview hub answers on it`);
      await delay(RETRY_MS);
    }
  }

  /** The shared port. */
  get port(): number {
    return this.#port;
  }

  /**
   * Runs `hook` after every (re)join or takeover, e.g. to re-send state that is not a retained id
   * (parameters need none: each page gets them on every (re)connect, test/shared-port/parameters.test.ts).
   * Returns a function that removes it.
   */
  onJoined(hook: () => void): () => void {
    this.#joinHooks.add(hook);
    return () => this.#joinHooks.delete(hook);
  }

  /** Relays this instance's broadcast to every other instance. */
  relaySend(api: 'hise' | 'any', id: string, value: unknown, meta?: HubDataHeader['m']): void {
    const retained = this.#host.isRetained(id);
    const flags = (retained ? HubFlag.Retained : 0) | (api === 'hise' ? HubFlag.HiseApi : 0);
    const header: HubDataHeader = meta === undefined ? { o: this.instances.self, s: ++this.#seq, id } : { o: this.instances.self, s: ++this.#seq, id, m: meta };
    this.#relay(HubOp.Send, flags, header, value, retained ? id : undefined);
  }

  /** Relays a message one of this instance's pages sent to every other instance. */
  relayPageMessage(page: Page, id: string | undefined, value: unknown): void {
    const p: RelayedPage = { instance: this.instances.self, id: page.id, path: page.path, extended: page.extended };
    if (page.tab !== undefined) p.tab = page.tab;
    if (page.origin !== undefined) p.origin = page.origin;
    this.#relay(HubOp.PageMessage, 0, id === undefined ? { o: this.instances.self, s: ++this.#seq, p } : { o: this.instances.self, s: ++this.#seq, id, p }, value, undefined);
  }

  /** One of this instance's pages went away: the others forget their view of it. */
  pageGone(page: Page): void {
    this.#control({ t: 'page-gone', instance: this.instances.self, page: page.id });
  }

  /** Leaves the port: as the hub, says goodbye (the others elect a successor at once) and frees it. */
  async close(): Promise<void> {
    this.#closed = true;
    this.instances.setTransport(undefined);
    this.#link?.close();
    this.#link = undefined;
    this.#hub?.close();
    await this.#hubListener?.close();
  }

  #relay(op: HubOp, flags: number, header: HubData['header'], value: unknown, retainedId: string | undefined): void {
    // A hub alone has no one to relay to: only a retained id (for whoever joins) or a failover's replay needs the frame.
    if (this.#hub?.memberCount === 0 && retainedId === undefined && this.#replay === undefined) return;
    let frame: Uint8Array;
    try {
      frame = encodeHubData(op, flags, header, value);
    } catch (error) {
      this.#host.report(new WebViewError('UNSUPPORTED_DATA', `cannot relay '${String(header.id)}' to the other instances: ${(error as Error).message}`, { cause: error }));
      return;
    }
    if (frame.byteLength > relayLimit(this.#host.maxPayload)) {
      // The link would close on it, and a logged frame would be resent on every re-join: never sent, logged nor retained.
      this.#host.report(new WebViewError('MESSAGE_TOO_LARGE', `'${String(header.id ?? '')}' is ${frame.byteLength} bytes as a hub frame, over the ${relayLimit(this.#host.maxPayload)} bytes instances accept (maxPayload + relay header): not relayed to the other instances`));
      return;
    }
    if (retainedId !== undefined) this.#retained.set(retainedId, frame);
    if (this.#hub !== undefined) {
      this.#hub.forward(frame);
      this.#toReplay(frame);
      return;
    }
    if (!isStreamFrame(frame)) this.#log.remember(frame, header.s);
    this.#link?.send(frame);
  }

  #control(message: HubControl): void {
    if (this.#hub !== undefined) this.#hub.control(message);
    else this.#link?.control(message);
  }

  /**
   * One attempt: bind the port as the hub (unless `joinOnly`), else join the hub on it. `'absent'`
   * when neither worked (the port is between hubs).
   */
  async #takeOrJoin(joinOnly = false): Promise<'done' | 'absent' | 'busy'> {
    if (!joinOnly) {
      try {
        await this.#becomeHub();
        return 'done';
      } catch (error) {
        if ((error as WebViewError).code !== 'PORT_IN_USE') throw error;
      }
    }
    try {
      await this.#join();
      return 'done';
    } catch (error) {
      if (!(error instanceof JoinFailure)) throw error;
      if (error.kind === 'foreign') throw new WebViewError('PORT_IN_USE', `port ${this.#port} is in use: ${error.message}`, { cause: error });
      return error.kind;
    }
  }

  async #becomeHub(): Promise<void> {
    const hub = new Hub({
      selfId: this.instances.self,
      secret: this.#secret,
      port: () => this.#port,
      maxPayload: this.#host.maxPayload,
      data: (frame, data) => this.#receive(frame, data),
      control: (message) => this.#receiveControl(message),
      membersChanged: (members) => this.instances.update(this.instances.self, members),
      joinState: () => this.#joinState(),
      report: (error) => this.#host.report(error),
    });
    const { handlers } = this.#host;
    const upgrade: HttpHandlers['upgrade'] = (request, socket, head) =>
      this.#host.guardUpgrade(request, socket, head, (...parsed) => {
        if (!hub.upgrade(...parsed)) handlers.upgrade(request, socket, head);
      });
    this.#hubListener = await listenHttp(this.#port, this.#host.host, { ...handlers, upgrade }, this.#host.limits);
    this.#port = this.#hubListener.port;
    if (this.#closed) {
      await this.#hubListener.close();
      throw new WebViewError('CLOSED', 'this WebView was closed while starting');
    }
    this.#hub = hub;
    // What this instance sent and the old hub may not have forwarded: for every instance re-joining.
    if (this.#failingOver) this.#openReplay(this.#log.frames);
    this.#log.clear();
    this.instances.setTransport({ send: (to, id, data) => this.#sendInstanceMessage(to, id, data) });
    this.instances.update(this.instances.self, hub.members);
    this.#joined();
  }

  async #join(): Promise<void> {
    const link = await HubLink.join(
      this.#port,
      { id: this.instances.self, privatePort: this.#host.privatePort, secret: this.#secret, maxPayload: relayLimit(this.#host.maxPayload) },
      {
        data: (frame) => this.#receive(frame),
        control: (message) => this.#linkControl(message),
        lost: (bye) => this.#lost(link, bye),
        report: (error) => this.#host.report(error),
      },
    );
    if (this.#closed) {
      link.close();
      throw new WebViewError('CLOSED', 'this WebView was closed while starting');
    }
    this.#link = link;
    for (const frame of this.#log.frames) link.send(frame);
    this.instances.setTransport({ send: (to, id, data) => this.#sendInstanceMessage(to, id, data) });
    this.instances.update(link.hub, link.members);
    this.#joined();
  }

  #joined(): void {
    for (const hook of [...this.#joinHooks]) {
      try {
        hook();
      } catch (error) {
        this.#host.report(new WebViewError('LISTENER_FAILED', `a shared-port join hook failed: ${(error as Error).message}`, { cause: error }));
      }
    }
  }

  #openReplay(frames: Uint8Array[]): void {
    this.#replay = [];
    this.#replayBytes = 0;
    for (const frame of frames) this.#toReplay(frame);
    setTimeout(() => (this.#replay = undefined), FAILOVER_REPLAY_MS).unref();
  }

  /** While the failover window is open: strings and JSON only (streams are not resent), up to {@link MAX_RELAY_LOG_BYTES}. */
  #toReplay(frame: Uint8Array): void {
    if (this.#replay === undefined || isStreamFrame(frame) || this.#replayBytes + frame.byteLength > MAX_RELAY_LOG_BYTES) return;
    this.#replay.push(frame);
    this.#replayBytes += frame.byteLength;
  }

  /** What a joining instance gets first: the retained ids' latest frames (as state), then the failover replay. */
  #joinState(): Uint8Array[] {
    const replay = this.#replay ?? [];
    const inReplay = new Set(replay);
    const state: Uint8Array[] = [];
    for (const frame of this.#retained.values()) {
      if (inReplay.has(frame)) continue;
      const copy = new Uint8Array(frame);
      copy[0] = HubOp.State;
      state.push(copy);
    }
    return [...state, ...replay];
  }

  /**
   * An instance message: at most `maxPayload` bytes as JSON (what the hub accepts), sent under the
   * backlog rule: false when the hub (or, from the hub, the addressee) has stopped reading.
   * @throws {WebViewError} `MESSAGE_TOO_LARGE`
   */
  #sendInstanceMessage(to: string, id: string, data: unknown): boolean {
    const message: HubControl = { t: 'msg', from: this.instances.self, to, id, data };
    const bytes = Buffer.byteLength(JSON.stringify(message));
    if (bytes > this.#host.maxPayload) throw new WebViewError('MESSAGE_TOO_LARGE', `instance message '${id}' is ${bytes} bytes as JSON, over maxPayload ${this.#host.maxPayload}: not sent`);
    if (this.#hub !== undefined) return this.#hub.control(message, to === '*' ? undefined : to);
    if (this.#link !== undefined) return this.#link.control(message);
    return false;
  }

  /** A data frame from another instance: delivered once (by origin and sequence number; a repeat is not even decoded). `decoded`: the hub checked and decoded it already. */
  #receive(frame: Uint8Array, decoded?: HubData): void {
    let data: HubData;
    try {
      const header = decoded?.header ?? readHubHeader(frame); // every field checked by type
      if (header.o === this.instances.self || header.s <= (this.#lastSeen.get(header.o) ?? 0)) return;
      data = decoded ?? decodeHubData(frame, header);
    } catch (error) {
      this.#host.report(new WebViewError('HUB_PROTOCOL_ERROR', `a frame from another instance could not be read: ${(error as Error).message}`, { cause: error }));
      return;
    }
    const { o: origin, s: seq, id } = data.header;
    if (data.op !== HubOp.State) this.#lastSeen.set(origin, seq);
    if (data.op !== HubOp.State) this.#toReplay(frame);
    if (data.op === HubOp.PageMessage) {
      if (data.header.p !== undefined) this.#host.dispatch(this.#remotePages.get(data.header.p), id, data.value);
      return;
    }
    if (id === undefined) return;
    const retained = (data.flags & HubFlag.Retained) !== 0;
    if (retained) {
      const live = new Uint8Array(frame); // a copy: ws hands out Buffers whose slice() shares memory
      live[0] = HubOp.Send;
      this.#retained.set(id, live);
    }
    try {
      this.#host.deliver((data.flags & HubFlag.HiseApi) !== 0 ? 'hise' : 'any', id, data.value, retained, data.header.m);
    } catch (error) {
      // What another instance relayed passed its own checks; a value this host refuses is reported, never thrown into the link.
      this.#host.report(new WebViewError('HUB_PROTOCOL_ERROR', `a message from instance ${origin} could not be sent to this instance's pages: ${(error as Error).message}`, { cause: error }));
    }
  }

  #linkControl(message: HubControl): void {
    if (message.t === 'members') this.instances.update(message.hub, message.members);
    else if (message.t === 'ack' && typeof message.s === 'number') this.#log.acknowledged(message.s);
    else this.#receiveControl(message);
  }

  #receiveControl(message: HubControl): void {
    if (message.t === 'msg' && typeof message.from === 'string' && typeof message.id === 'string') this.instances.emit('message', message.id, message.data, message.from);
    else if (message.t === 'page-gone') this.#remotePages.forget(message.instance, message.page);
  }

  /** The hub went: the lowest join order tries to take the port first, the others a step later each, then everyone re-joins whoever holds it. */
  #lost(link: HubLink, _bye: boolean): void {
    if (this.#link !== link || this.#closed) return;
    const lostAt = performance.now();
    this.#link = undefined;
    this.instances.setTransport(undefined);
    const survivors: HubMember[] = this.instances.list.filter((info) => !info.hub).map(({ id, order }) => ({ id, order }));
    survivors.sort((a, b) => a.order - b.order);
    const rank = Math.max(0, survivors.findIndex((member) => member.id === this.instances.self));
    this.instances.update(undefined, survivors);
    void this.#failover(rank * ELECTION_STEP_MS, lostAt);
  }

  /** Until its turn to take the port comes, an instance only tries to join (whoever took it); then it tries both. */
  async #failover(wait: number, lostAt: number): Promise<void> {
    const bindFrom = lostAt + wait;
    let pause = RETRY_MS;
    let reported = false;
    this.#failingOver = true;
    while (!this.#closed) {
      try {
        if ((await this.#takeOrJoin(performance.now() < bindFrom)) === 'done') {
          this.#failingOver = false;
          this.instances.lastFailoverMs = performance.now() - lostAt;
          return;
        }
      } catch (error) {
        if (this.#closed) return;
        if (!reported) {
          reported = true;
          this.#host.report(new WebViewError('HUB_UNREACHABLE', `no hub on port ${this.#port} after the last one went; still trying: ${(error as Error).message}`, { cause: error }));
        }
        pause = Math.min(MAX_RETRY_MS, pause * 2);
      }
      await delay(pause);
    }
  }
}
