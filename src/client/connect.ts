import type { CallHandler } from '../protocol/calls.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf } from '../protocol/contract.js';
import { decodeFrame } from '../protocol/frame.js';
import type { ParameterError } from '../protocol/parameter-spec.js';
import { Calls } from './modern/calls.js';
import type { ClientParameter } from './modern/client-parameter.js';
import { Inbox } from './modern/inbox.js';
import { resolveConnectOptions, type ConnectOptions } from './modern/options.js';
import { Outbox } from './modern/outbox.js';
import { ParametersModule } from './modern/parameters.js';
import { Streams } from './modern/streams.js';
import type { SubscribeOptions } from './modern/subscription-book.js';
import { Transport } from './modern/transport.js';
import type { ClientMode, ClientModule, ClientStatus, FrameHandler, MessageMeta, SendResult } from './modern/types.js';
import { reportError } from './report-error.js';

export { CLIENT_DEFAULTS, type ConnectOptions } from './modern/options.js';
export type { ClientMode, ClientStatus, MessageMeta, SendResult, WebSocketConstructor } from './modern/types.js';

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
 *
 * A facade over its modules (`modern/`): the transport (socket, reconnect, status), the outbox
 * (exactly-once sends), the inbox (listeners), calls, parameters and streams. Each inbound frame
 * goes, by its type, to the module that owns it.
 */
export class HiseClient<C extends Contract = AnyContract> {
  /** Resolves when the first connection opens; rejects if {@link close} comes first. */
  readonly ready: Promise<void>;
  readonly #transport: Transport;
  readonly #outbox: Outbox;
  readonly #inbox: Inbox;
  readonly #calls: Calls;
  readonly #parameters: ParametersModule;
  readonly #streams: Streams;
  readonly #modules: readonly ClientModule[];
  /** Frame type → the handler of the module that owns it. */
  readonly #routes: readonly (FrameHandler | undefined)[];

  constructor(options: ConnectOptions = {}) {
    const resolved = resolveConnectOptions(options);
    const freshStreams = resolved.freshStreams && resolved.extensions;
    const transport = (this.#transport = new Transport(resolved, freshStreams, {
      opened: (mode, write) => {
        for (const module of this.#modules) module.opened?.(mode, write);
      },
      closed: () => {
        for (const module of this.#modules) module.closed?.();
      },
      message: (bytes) => this.#receive(bytes),
    }));
    this.ready = transport.ready;
    this.#outbox = new Outbox(transport, resolved.maxQueue, resolved.maxQueueBytes);
    this.#parameters = new ParametersModule(transport, this.#outbox);
    this.#inbox = new Inbox(transport, resolved.exactBuffers, (id, text) => this.#parameters.claimText(id, text));
    this.#calls = new Calls(transport, resolved);
    this.#streams = new Streams(this.#inbox, freshStreams);
    this.#modules = [this.#outbox, this.#inbox, this.#calls, this.#parameters, this.#streams];
    // The frame table: each type to the handler of the one module that owns it (no two modules own the same type).
    this.#routes = Object.assign([], ...this.#modules.map((module) => module.frames));
    transport.open();
  }

  get status(): ClientStatus {
    return this.#transport.status;
  }

  /** Known once connected. */
  get mode(): ClientMode | undefined {
    return this.#transport.mode;
  }

  /** Frames the host coalesced or dropped for this page, over all ids. */
  get dropped(): number {
    return this.#inbox.dropped;
  }

  set dropped(count: number) {
    this.#inbox.dropped = count;
  }

  /** Messages sent and not yet acknowledged by the host (including those waiting for a connection). */
  get queued(): number {
    return this.#outbox.queued;
  }

  /** Listens to messages the host sends under `id`. Returns a function that removes the listener. */
  on<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): () => void {
    this.#inbox.on(id, listener as (data: never, meta: MessageMeta) => void);
    return () => this.off(id, listener);
  }

  off<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): void {
    this.#inbox.off(id, listener as (data: never, meta: MessageMeta) => void);
  }

  /** Listens to every message the host sends, whatever its id. Returns a function that removes the listener. */
  onAny(listener: (id: string, data: unknown, meta: MessageMeta) => void): () => void {
    return this.#inbox.onAny(listener);
  }

  /** Listens to status changes (`connecting`, `open`, `closed`). Returns a function that removes it. */
  onStatus(listener: (status: ClientStatus, mode: ClientMode | undefined) => void): () => void {
    return this.#transport.onStatus(listener);
  }

  /**
   * Sends `data` under `id`: strings, JSON values, typed arrays, bytes. Kept until the host
   * acknowledges it, and resent after a reconnect, so it is delivered once. `'dropped'` (with an
   * error status event) when the queue is full.
   */
  send<K extends keyof MessagesOf<C> & string>(id: K, data: MessagesOf<C>[K]): SendResult {
    return this.#outbox.send(id, data);
  }

  /**
   * Calls a function the host offered with `handle`. Rejects with a `CallError`: `CALL_TIMEOUT`,
   * `DISCONNECTED`, `UNKNOWN_FUNCTION`, `TOO_MANY_CALLS`, `NOT_SUPPORTED`, or the host's own code.
   */
  call<K extends keyof HostFunctionsOf<C> & string>(
    name: K,
    ...args: Parameters<HostFunctionsOf<C>[K]>
  ): Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>> {
    return this.#calls.call(name, args) as Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>>;
  }

  /** Offers `fn` to the host's `call(page, name, ...args)`; `undefined` removes it. */
  handle<K extends keyof PageFunctionsOf<C> & string>(name: K, fn: PageFunctionsOf<C>[K] | undefined): void {
    this.#calls.handle(name, fn as CallHandler | undefined);
  }

  /**
   * Asks the host for streams `ids` only (adding to earlier subscriptions; by default a page gets
   * every stream), or with no ids every stream again. `maxRate` caps each id's frames per second
   * (the newest wins; the host sends no others). Needs a host that speaks fresh streams; kept
   * across reconnects.
   * @throws {TypeError} for ids that are not strings or a `maxRate` that is not a number >= 0
   */
  subscribe(ids?: string | readonly string[], options?: SubscribeOptions): void {
    this.#streams.subscribe(ids, options);
  }

  /** Stops streams `ids`, or with no ids every stream. @throws {TypeError} for ids that are not strings */
  unsubscribe(ids?: string | readonly string[]): void {
    this.#streams.unsubscribe(ids);
  }

  /**
   * The host's clock now (ms, the scale of `meta.time`), estimated from round trips to it; undefined
   * until the first answer (or against a host without fresh streams).
   */
  hostTime(): number | undefined {
    return this.#streams.hostTime();
  }

  /**
   * A host parameter (declared with `wv.parameter`): its spec and value once the host sent them,
   * `subscribe` to changes from elsewhere, and `begin()` / `set(v)` / `end()` for gestures. Works
   * with HISE too, over the convention of PROTOCOL.md "Parameters".
   */
  parameter<K extends keyof ParamsOf<C> & string>(id: K): ClientParameter<ParamsOf<C>[K]> {
    return this.#parameters.get(id) as unknown as ClientParameter<ParamsOf<C>[K]>;
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
    this.#transport.close(() => {
      for (const module of this.#modules) module.dispose?.();
    });
  }

  /** One message from the host: HISE's format to the inbox; an extended frame to the module that owns its type. */
  #receive(bytes: Uint8Array): void {
    try {
      if (this.#transport.mode === 'legacy') return this.#inbox.receiveLegacy(bytes);
      if (this.#streams.awaitsPayload) return this.#streams.payload(bytes); // an owned frame's samples
      const frame = decodeFrame(bytes);
      const route = this.#routes[frame.type];
      if (route !== undefined) route(frame, bytes);
      else this.#inbox.deliver(frame, undefined); // any other payload type
    } catch (error) {
      reportError(error);
    }
  }
}
