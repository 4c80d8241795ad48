import { decodeMessage } from '../protocol/decode.js';
import { CallError, DEFAULT_MAX_CALL_ARGUMENTS, PendingCalls, answerCall, readCall, readReply, type CallHandler } from '../protocol/calls.js';
import { encodeAck, readUint32Frame } from '../protocol/delivery.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf } from '../protocol/contract.js';
import { FrameType, SESSION_PARAM, STREAMS_PARAM, STREAMS_VERSION, SUBPROTOCOL, TOKEN_PARAM } from '../protocol/extension.js';
import { STREAM_TYPES, readTimedFrame, type StreamMeta } from '../protocol/stream-meta.js';
import { FreshStreamsLink } from './fresh-streams.js';
import { HostClock } from './host-clock.js';
import { SubscriptionBook, type SubscribeOptions } from './subscription-book.js';
import { encodeParameterOp, hiseParameterOpText, HiseParameterId, readParameterJson, type ParameterOp } from '../protocol/parameter-messages.js';
import type { ParameterError } from '../protocol/parameter-spec.js';
import { ClientParameters, type ClientParameter } from './parameters.js';
import { decodeFrame, encodeValue, readPayload, toJson } from '../protocol/frame.js';
import { resolveConnectOptions } from './connect-options.js';
import { Reconnect } from './reconnect.js';
import { reportError } from './report-error.js';
import { SequencedLog } from '../protocol/sequenced-log.js';
import { createSessionId } from '../protocol/session-id.js';

/** Options of {@link connect}; unknown keys and values of the wrong kind throw `ClientError` `INVALID_OPTION`. */
export interface ConnectOptions {
  /** Full WebSocket URL (`ws:` or `wss:`). Otherwise `ws://{host}:{port}/`. */
  url?: string;
  /** The host's port (what `setEnableWebSocket` resolved), 1–65535. @default the bridge's port ({@link hostPort}) in a page the host or the Vite plugin serves */
  port?: number;
  /** @default 'localhost' */
  host?: string;
  /** The host's token, when it has one (sent as `?token=`). */
  token?: string;
  /** Milliseconds a call waits for its result. @default 10000 */
  callTimeout?: number;
  /** Calls that may wait at once. @default 1024 */
  maxPendingCalls?: number;
  /** Arguments a call from the host may carry; more are answered `TOO_MANY_ARGUMENTS`. @default 1000 */
  maxCallArguments?: number;
  /** Messages kept until the host acknowledges them (also while disconnected). @default 1024 */
  maxQueue?: number;
  /** Bytes of such messages. @default 8 MiB */
  maxQueueBytes?: number;
  /**
   * Offer the `hise-webview.1` extension. `false` speaks HISE's format only, from the first attempt:
   * use it for pages that run inside HISE, which ignores subprotocols (offering one costs a failed
   * first handshake, into which HISE flushes the messages it held for the first page).
   * @default true
   */
  extensions?: boolean;
  /** Reconnect when the connection drops. @default true */
  reconnect?: boolean;
  /** @default 250 */
  minReconnectDelay?: number;
  /** @default 5000 */
  maxReconnectDelay?: number;
  /**
   * Every `Float32Array`, other typed array and `Uint8Array` a listener receives owns exactly its
   * data (`byteOffset` 0, `buffer.byteLength === byteLength`), as HISE's client gives: keep it or
   * transfer its buffer to a Worker or an AudioWorklet. It costs one copy per message (see
   * bench/ANALYSIS.md §6). `false` hands out views into the message instead (zero copy when aligned;
   * `data.buffer` then holds the frame's header too, so never build arrays from it).
   * @default true
   */
  exactBuffers?: boolean;
  /**
   * Offer fresh streams (PROTOCOL.md §4.8): credit-based flow control (the host sends at most its
   * `streamWindow` of stream frames ahead of what listeners consumed, the newest per id otherwise),
   * {@link HiseClient.subscribe}, no streams while the page is hidden, and `meta.time` /
   * `meta.samplePosition` with {@link HiseClient.hostTime}. A host that does not speak them ignores
   * the offer. `false`: streams arrive as before (every frame the socket can carry).
   * @default true
   */
  freshStreams?: boolean;
  /** A WebSocket constructor, for running outside a browser (e.g. the `ws` package). @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructor;
}

/** The part of the WebSocket API the client uses; browsers' and `ws`'s both fit. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
interface WebSocketLike {
  binaryType: string;
  readonly protocol: string;
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}

export type ClientStatus = 'connecting' | 'open' | 'closed';
/**
 * `extended`: the host accepted `hise-webview.1` (ids both ways, all types, calls, exactly-once).
 * `legacy`: a host that speaks only HISE's format (e.g. HISE itself): messages by id still arrive,
 * `send` loses its id, calls reject with `NOT_SUPPORTED`.
 */
export type ClientMode = 'extended' | 'legacy';

/** What a listener learns beside the data. */
export interface MessageMeta {
  /** The host's sequence number of this stream frame (extended mode, typed payloads). */
  seq: number | undefined;
  /** Frames of this id the host coalesced or dropped since the previous one this page got. */
  dropped: number;
  /** The host's time of this stream frame (host clock, ms; compare with {@link HiseClient.hostTime}), when the host gave one. */
  time: number | undefined;
  /** The sample position of this stream frame's first sample, when the host gave one. */
  samplePosition: number | undefined;
}

export type SendResult = 'sent' | 'queued' | 'dropped';

interface Outgoing {
  id: string;
  value: unknown;
  /** A parameter operation (frame 0x22, or `{"hwv": "param", …}` text in HISE's format). */
  parameter?: true;
}

const OPEN = 1;
const MiB = 1024 * 1024;

/**
 * Connects to a hise-webview host (or to HISE itself) and returns the typed client. No side effects
 * until called. Without `url` and `port`, a page the host (or the Vite plugin) serves connects to
 * its host, with its token.
 * @throws {ClientError} at once for options it cannot use: `INVALID_OPTION`, `NO_PORT`
 */
export function connect<C extends Contract = AnyContract>(options: ConnectOptions = {}): HiseClient<C> {
  return new HiseClient<C>(options);
}

/**
 * The modern client: typed ids both ways, calls both ways with results, reconnect with resync,
 * and page → host messages delivered exactly once across dropped connections.
 */
export class HiseClient<C extends Contract = AnyContract> {
  /** Resolves when the first connection opens; rejects if {@link close} comes first. */
  readonly ready: Promise<void>;
  /** Frames the host coalesced or dropped for this page, over all ids. */
  dropped = 0;
  #status: ClientStatus = 'connecting';
  #mode: ClientMode | undefined;
  #socket: WebSocketLike | undefined;
  readonly #reconnect: Reconnect;
  #closedByUser = false;
  /**
   * Browsers fail a handshake that offered a subprotocol the server ignored (HISE does), so after a
   * failed attempt the next one goes without it. A host that speaks the extension refuses such an
   * attempt, and the client comes back with the subprotocol.
   */
  #offerSubprotocol = true;
  readonly #alwaysLegacy: boolean;
  #readyResolve!: () => void;
  #readyReject!: (error: Error) => void;
  readonly #url: string;
  readonly #reconnectEnabled: boolean;
  readonly #WebSocket: WebSocketConstructor;
  readonly #listeners = new Map<string, Set<(data: never, meta: MessageMeta) => void>>();
  readonly #anyListeners = new Set<(id: string, data: unknown, meta: MessageMeta) => void>();
  readonly #statusListeners = new Set<(status: ClientStatus, mode: ClientMode | undefined) => void>();
  readonly #lastSeq = new Map<string, number>();
  readonly #handlers = new Map<string, CallHandler>();
  readonly #calls: PendingCalls;
  readonly #maxCallArguments: number;
  readonly #exactData: boolean;
  readonly #outbox: SequencedLog<Outgoing>;
  /** The host's numbering of its strings and JSON to this session, and how far this page has delivered it. */
  #hostEpoch = 0;
  #hostSeq = 0;
  #ackScheduled = false;
  readonly #freshStreams: boolean;
  readonly #clock = new HostClock();
  readonly #subscriptions = new SubscriptionBook();
  #subscriptionsChanged = false;
  /** Fresh streams on the current connection (extended mode). */
  #link: FreshStreamsLink | undefined;
  readonly #document: { visibilityState?: string; addEventListener?: Document['addEventListener']; removeEventListener?: Document['removeEventListener'] } | undefined;
  /** Marks this client's parameter operations in HISE mode, where the host echoes to every page. */
  readonly #clientId = createSessionId().slice(0, 12);
  readonly #parameters = new ClientParameters({ send: (id, op) => this.#sendParameterOp(id, op) });
  #usesParameters = false;

  constructor(options: ConnectOptions = {}) {
    options = resolveConnectOptions(options);
    this.#freshStreams = (options.freshStreams ?? true) && (options.extensions ?? true);
    this.#url = buildUrl(options, this.#freshStreams);
    this.#document = (globalThis as { document?: Document }).document;
    if (this.#freshStreams) this.#document?.addEventListener?.('visibilitychange', this.#onVisibilityChange);
    this.#reconnectEnabled = options.reconnect ?? true;
    this.#reconnect = new Reconnect(options.minReconnectDelay ?? 250, options.maxReconnectDelay ?? 5000);
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (Ctor === undefined) throw new TypeError('no WebSocket here: pass options.WebSocket');
    this.#WebSocket = Ctor;
    this.#offerSubprotocol = options.extensions ?? true;
    this.#alwaysLegacy = !this.#offerSubprotocol;
    this.#maxCallArguments = options.maxCallArguments ?? DEFAULT_MAX_CALL_ARGUMENTS;
    this.#exactData = options.exactBuffers ?? true;
    this.#calls = new PendingCalls({ timeout: options.callTimeout ?? 10_000, max: options.maxPendingCalls ?? 1024 });
    this.#outbox = new SequencedLog(options.maxQueue ?? 1024, options.maxQueueBytes ?? 8 * MiB);
    this.ready = new Promise((resolve, reject) => {
      this.#readyResolve = resolve;
      this.#readyReject = reject;
    });
    this.ready.catch(() => undefined); // not every caller awaits ready
    this.#open();
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** Known once connected. */
  get mode(): ClientMode | undefined {
    return this.#mode;
  }

  /** Messages sent and not yet acknowledged by the host (including those waiting for a connection). */
  get queued(): number {
    return this.#outbox.pending.length;
  }

  /** Listens to messages the host sends under `id`. Returns a function that removes the listener. */
  on<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener as (data: never, meta: MessageMeta) => void);
    return () => this.off(id, listener);
  }

  off<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): void {
    this.#listeners.get(id)?.delete(listener as (data: never, meta: MessageMeta) => void);
  }

  /** Listens to every message the host sends, whatever its id. Returns a function that removes the listener. */
  onAny(listener: (id: string, data: unknown, meta: MessageMeta) => void): () => void {
    this.#anyListeners.add(listener);
    return () => this.#anyListeners.delete(listener);
  }

  /** Listens to status changes (`connecting`, `open`, `closed`). Returns a function that removes it. */
  onStatus(listener: (status: ClientStatus, mode: ClientMode | undefined) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /**
   * Sends `data` under `id`: strings, JSON values, typed arrays, bytes. Kept until the host
   * acknowledges it, and resent after a reconnect, so it is delivered once. `'dropped'` (with an
   * error status event) when the queue is full.
   */
  send<K extends keyof MessagesOf<C> & string>(id: K, data: MessagesOf<C>[K]): SendResult {
    const entry = this.#outbox.add({ id, value: data }, sizeOf(data));
    if (entry === undefined) return 'dropped';
    if (this.#socket?.readyState !== OPEN) return 'queued';
    this.#transmit(entry.seq, entry.item);
    if (this.#mode === 'legacy') this.#outbox.ack(entry.seq); // HISE's server has no acks
    return 'sent';
  }

  /**
   * Calls a function the host offered with `handle`. Rejects with a `CallError`: `CALL_TIMEOUT`,
   * `DISCONNECTED`, `UNKNOWN_FUNCTION`, `TOO_MANY_CALLS`, `NOT_SUPPORTED`, or the host's own code.
   */
  call<K extends keyof HostFunctionsOf<C> & string>(
    name: K,
    ...args: Parameters<HostFunctionsOf<C>[K]>
  ): Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>> {
    return this.#call(name, args) as Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>>;
  }

  /** Offers `fn` to the host's `call(page, name, ...args)`; `undefined` removes it. */
  handle<K extends keyof PageFunctionsOf<C> & string>(name: K, fn: PageFunctionsOf<C>[K] | undefined): void {
    if (fn === undefined) this.#handlers.delete(name);
    else this.#handlers.set(name, fn as CallHandler);
  }

  /**
   * Asks the host for streams `ids` only (adding to earlier subscriptions; by default a page gets
   * every stream), or with no ids every stream again. `maxRate` caps each id's frames per second
   * (the newest wins; the host sends no others). Needs a host that speaks fresh streams; kept
   * across reconnects.
   * @throws {TypeError} for ids that are not strings or a `maxRate` that is not a number >= 0
   */
  subscribe(ids?: string | readonly string[], options?: SubscribeOptions): void {
    this.#subscriptions.subscribe(typeof ids === 'string' ? [ids] : ids, options);
    this.#subscriptionsChanged = true;
    this.#link?.subscriptions(this.#subscriptions.state);
  }

  /** Stops streams `ids`, or with no ids every stream. @throws {TypeError} for ids that are not strings */
  unsubscribe(ids?: string | readonly string[]): void {
    this.#subscriptions.unsubscribe(typeof ids === 'string' ? [ids] : ids);
    this.#subscriptionsChanged = true;
    this.#link?.subscriptions(this.#subscriptions.state);
  }

  /**
   * The host's clock now (ms, the scale of `meta.time`), estimated from round trips to it; undefined
   * until the first answer (or against a host without fresh streams).
   */
  hostTime(): number | undefined {
    return this.#clock.now();
  }

  /**
   * A host parameter (declared with `wv.parameter`): its spec and value once the host sent them,
   * `subscribe` to changes from elsewhere, and `begin()` / `set(v)` / `end()` for gestures. Works
   * with HISE too, over the convention of PROTOCOL.md "Parameters".
   */
  parameter<K extends keyof ParamsOf<C> & string>(id: K): ClientParameter<ParamsOf<C>[K]> {
    if (!this.#usesParameters) {
      this.#usesParameters = true;
      if (this.#mode === 'legacy' && this.#socket?.readyState === OPEN) this.#askForParameters(this.#socket);
    }
    return this.#parameters.get(id) as unknown as ClientParameter<ParamsOf<C>[K]>;
  }

  /**
   * HISE mode: HISE tells a page nothing when it connects, so a page that uses parameters asks for
   * them (on every open). A page that never calls `parameter()` sends nothing of the kind, so a HISE
   * script that knows nothing of parameters never sees such a message.
   */
  #askForParameters(socket: WebSocketLike): void {
    socket.send(hiseParameterOpText('', { op: 'sync', c: this.#clientId }));
  }

  /** Ids of the parameters the host has sent. */
  get parameterIds(): string[] {
    return this.#parameters.ids;
  }

  /** Listens to the host's coded refusals of this page's parameter operations (else they are reported as uncaught errors). */
  onParameterError(listener: (error: ParameterError) => void): () => void {
    return this.#parameters.onError(listener);
  }

  /** Closes for good: no reconnect; waiting calls reject with `DISCONNECTED`. */
  close(): void {
    this.#closedByUser = true;
    this.#document?.removeEventListener?.('visibilitychange', this.#onVisibilityChange);
    this.#link?.stop();
    this.#reconnect.cancel();
    this.#readyReject(new CallError('DISCONNECTED', 'closed before the connection opened'));
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket !== undefined) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      try {
        socket.close(1000);
      } catch {
        // closing during unload must never throw
      }
    }
    this.#calls.rejectAll('DISCONNECTED', 'the client was closed');
    this.#setStatus('closed');
  }

  async #call(name: string, args: unknown[]): Promise<unknown> {
    await this.#whenOpen();
    if (this.#mode === 'legacy') throw new CallError('NOT_SUPPORTED', `the host speaks only HISE's format: cannot call '${name}'`);
    const { frame, result } = this.#calls.start(name, args);
    this.#socket!.send(frame);
    return result;
  }

  /** Calls made while connecting wait for the connection (bounded by their own timeout). */
  #whenOpen(): Promise<void> {
    if (this.#socket?.readyState === OPEN) return Promise.resolve();
    if (this.#closedByUser) return Promise.reject(new CallError('DISCONNECTED', 'the client was closed'));
    return new Promise((resolve, reject) => {
      const off = this.onStatus((status) => {
        if (status === 'open') resolve();
        else if (status === 'closed' && this.#closedByUser) reject(new CallError('DISCONNECTED', 'the client was closed'));
        else return;
        off();
      });
    });
  }

  #open(): void {
    if (this.#closedByUser) return;
    this.#setStatus('connecting');
    const socket = this.#offerSubprotocol ? new this.#WebSocket(this.#url, [SUBPROTOCOL]) : new this.#WebSocket(this.#url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.#onOpen(socket);
    socket.onmessage = (event) => this.#onMessage(event.data);
    socket.onclose = () => this.#onClose(socket);
    socket.onerror = () => undefined; // a close event always follows
    this.#socket = socket;
    this.#link?.stop();
    this.#link = this.#freshStreams
      ? new FreshStreamsLink((frame) => {
          if (socket.readyState === OPEN) socket.send(frame);
        }, this.#clock)
      : undefined;
  }

  #onOpen(socket: WebSocketLike): void {
    this.#reconnect.opened();
    this.#mode = socket.protocol === SUBPROTOCOL ? 'extended' : 'legacy';
    // Everything not yet acknowledged goes again, in order; the host skips what it already has.
    for (const { seq, item } of this.#outbox.pending) this.#transmit(seq, item);
    if (this.#mode === 'legacy') {
      this.#outbox.ack(Number.MAX_SAFE_INTEGER);
      if (this.#usesParameters) this.#askForParameters(socket);
    }
    this.#setStatus('open');
    this.#readyResolve();
  }

  #onClose(socket: WebSocketLike): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    this.#link?.stop();
    if (!this.#reconnect.wasOpen && !this.#alwaysLegacy) this.#offerSubprotocol = !this.#offerSubprotocol; // never opened: try the other way
    this.#calls.rejectAll('DISCONNECTED', 'the connection dropped');
    this.#setStatus('closed');
    if (this.#closedByUser || !this.#reconnectEnabled) return;
    this.#reconnect.schedule(() => this.#open());
  }

  /** Parameter operations go through the acknowledged queue, like `send`: delivered once, resent after a reconnect. */
  #sendParameterOp(id: string, op: ParameterOp): void {
    const entry = this.#outbox.add({ id, value: op, parameter: true }, 64 + id.length * 3);
    if (entry === undefined) {
      this.#parameters.receiveError(id, { code: 'INVALID_PARAMETER_MESSAGE', message: `the client's queue (maxQueue) is full: '${op.op}' of '${id}' was dropped` });
      return;
    }
    if (this.#socket?.readyState !== OPEN) return;
    this.#transmit(entry.seq, entry.item);
    if (this.#mode === 'legacy') this.#outbox.ack(entry.seq);
  }

  #transmit(seq: number, { id, value, parameter }: Outgoing): void {
    const socket = this.#socket!;
    if (parameter) {
      const op = value as ParameterOp;
      socket.send(this.#mode === 'extended' ? encodeParameterOp(id, op, seq) : hiseParameterOpText(id, { ...op, c: this.#clientId }));
    } else if (this.#mode === 'extended') {
      socket.send(encodeValue(id, value, { seq, align: true }));
    } else if (typeof value === 'string' || value instanceof Float32Array) {
      socket.send(value); // HISE's format: no id, strings as text, floats as raw bytes
    } else if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
      socket.send(toJson(value));
    }
  }

  #onMessage(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return; // hosts only send binary frames
    const bytes = new Uint8Array(data);
    try {
      if (this.#mode === 'legacy') {
        const message = decodeMessage(bytes, this.#exactData ? { exact: true } : { inPlace: true });
        if (typeof message.data === 'string' && this.#receiveHiseParameters(message.id, message.data)) return;
        this.#emit(message.id, message.data, undefined, undefined);
        return;
      }
      const frame = decodeFrame(bytes);
      switch (frame.type) {
        case FrameType.Ack:
          this.#outbox.ack(readUint32Frame(frame));
          return;
        case FrameType.Hello: {
          const epoch = readUint32Frame(frame);
          if (epoch !== this.#hostEpoch) this.#hostSeq = 0; // a new host, or one that forgot us: it counts from 1 again
          this.#hostEpoch = epoch;
          return;
        }
        case FrameType.Result:
        case FrameType.Error:
          this.#calls.settle(readReply(frame));
          return;
        case FrameType.StreamsReady:
          this.#link?.start(frame, this.#subscriptions.state, this.#visible(), !this.#subscriptionsChanged);
          return;
        case FrameType.TimeSync:
          this.#link?.timeSync(frame);
          return;
        case FrameType.StreamWindow:
          this.#link?.streamWindow(frame);
          return;
        case FrameType.ParameterSpecs:
          this.#parameters.receiveSpecs(readParameterJson(frame));
          return;
        case FrameType.ParameterValues:
          this.#parameters.receiveValues(readParameterJson(frame));
          return;
        case FrameType.ParameterError:
          this.#parameters.receiveError(frame.id, readParameterJson(frame));
          return;
        case FrameType.ParameterOp:
          return; // page → host only
        case FrameType.Call: {
          const socket = this.#socket;
          void answerCall(this.#handlers, readCall(frame), this.#maxCallArguments).then((reply) => {
            if (socket?.readyState === OPEN) socket.send(reply);
          });
          return;
        }
        case FrameType.String:
        case FrameType.Json:
          // Numbered per session: resent after a reconnect until acknowledged, delivered once.
          if (frame.seq !== undefined) {
            this.#scheduleAck(); // a resend we already have is acknowledged again, so the host can let it go
            if (frame.seq <= this.#hostSeq) return;
            this.#hostSeq = frame.seq;
          }
          this.#emit(frame.id, readPayload(frame), undefined, undefined);
          return;
        case FrameType.Timed:
          this.#emitStream(bytes.byteLength, () => readTimedFrame(frame));
          return;
        default:
          if (STREAM_TYPES.has(frame.type)) this.#emitStream(bytes.byteLength, () => ({ frame, meta: undefined }));
          else this.#emit(frame.id, readPayload(frame, { exact: this.#exactData }), frame.seq, undefined);
      }
    } catch (error) {
      reportError(error);
    }
  }

  /**
   * Hands a stream frame to the listeners and counts it as consumed for the host's window, also
   * when it turns out unreadable (the host counted it as sent either way).
   */
  #emitStream(messageBytes: number, unwrap: () => { frame: Parameters<typeof readPayload>[0]; meta: StreamMeta | undefined }): void {
    try {
      const { frame, meta } = unwrap();
      this.#emit(frame.id, readPayload(frame, { exact: this.#exactData }), frame.seq, meta);
    } finally {
      this.#link?.acks.consumed(messageBytes);
    }
  }

  readonly #onVisibilityChange = (): void => {
    this.#link?.visibility(this.#visible());
  };

  #visible(): boolean {
    return this.#document?.visibilityState !== 'hidden';
  }

  /** HISE mode: the parameter messages arrive as string messages with reserved ids (PROTOCOL.md "Parameters"). */
  #receiveHiseParameters(id: string, text: string): boolean {
    if (id !== HiseParameterId.Specs && id !== HiseParameterId.Values && id !== HiseParameterId.Error) return false;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return false; // not ours after all: the page's listeners get it
    }
    if (id === HiseParameterId.Specs) this.#parameters.receiveSpecs(data);
    else if (id === HiseParameterId.Values) this.#parameters.receiveValues(data, this.#clientId);
    else this.#parameters.receiveError(String((data as { id?: unknown })?.id ?? ''), data);
    return true;
  }

  /** One ack per turn of the event loop, for everything delivered so far. */
  #scheduleAck(): void {
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    setTimeout(() => {
      this.#ackScheduled = false;
      if (this.#socket?.readyState === OPEN) this.#socket.send(encodeAck(this.#hostSeq));
    });
  }

  #emit(id: string, data: unknown, seq: number | undefined, extra: StreamMeta | undefined): void {
    let dropped = 0;
    if (seq !== undefined) {
      const last = this.#lastSeq.get(id);
      // A smaller number means the host restarted and counts from 1 again.
      if (last !== undefined && seq > last + 1) dropped = seq - last - 1;
      this.#lastSeq.set(id, seq);
      this.dropped += dropped;
    }
    const meta: MessageMeta = { seq, dropped, time: extra?.time, samplePosition: extra?.samplePosition };
    for (const listener of this.#listeners.get(id) ?? []) {
      try {
        listener(data as never, meta);
      } catch (error) {
        reportError(error);
      }
    }
    for (const listener of this.#anyListeners) {
      try {
        listener(id, data, meta);
      } catch (error) {
        reportError(error);
      }
    }
  }

  #setStatus(status: ClientStatus): void {
    this.#status = status;
    for (const listener of this.#statusListeners) {
      try {
        listener(status, this.#mode);
      } catch (error) {
        reportError(error);
      }
    }
  }
}

function buildUrl(options: ConnectOptions, freshStreams: boolean): string {
  // resolveConnectOptions has made sure there is a url or a port (else NO_PORT).
  const url = new URL(options.url ?? `ws://${options.host ?? 'localhost'}:${options.port!}/`);
  url.searchParams.set(SESSION_PARAM, createSessionId());
  if (freshStreams) url.searchParams.set(STREAMS_PARAM, String(STREAMS_VERSION));
  if (options.token !== undefined) url.searchParams.set(TOKEN_PARAM, options.token);
  return url.toString();
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length * 3;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return 64; // JSON is measured when encoded; this only bounds the queue
}
