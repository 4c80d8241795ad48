import type { CallHandler } from '../../protocol/calls.js';
import type { AnyContract, Contract, EventsOf, HostFunctionsOf, MessagesOf, PageFunctionsOf, ParamsOf } from '../../protocol/contract.js';
import type { ParameterError } from '../../protocol/parameter-spec.js';
import { ClientError } from '../client-error.js';
import { HiseClient, type ConnectOptions } from '../connect.js';
import type { ClientParameter } from '../modern/client-parameter.js';
import { pageTime } from '../modern/host-clock.js';
import type { SubscribeOptions } from '../modern/subscription-book.js';
import type { ClientMode, ClientStatus, MessageMeta, SendResult } from '../modern/types.js';
import { reportError } from '../report-error.js';
import type { ComponentKind, ComponentOptions } from '../scopes/components.js';
import type { FromWorker, ToWorker } from './messages.js';
import { StreamRing } from './rings.js';
import { workerSocketClass, type SocketPort, type WorkerSocket } from './worker-socket.js';

/** Options of {@link connectWorker}: those of `connect`, and where the worker's script is. */
export interface WorkerConnectOptions extends ConnectOptions {
  /** The worker's script (`hise-webview-worker.js`). @default beside this module (the host serves it at `/hise-webview-worker.js`) */
  workerUrl?: string | URL;
}

type Listener = (data: never, meta: MessageMeta) => void;

/**
 * The worker client: the same API as {@link HiseClient} for messages, calls and parameters (they
 * run on the main thread as before), while the socket, stream decoding, fresh streams' flow control
 * and stream delivery run in a dedicated Worker. Streams are consumed there: by modules the page
 * loads ({@link streamsToWorker}), by reference components drawn on transferred canvases
 * ({@link mount}), and through `SharedArrayBuffer` rings ({@link ring}); a main-thread listener of
 * a stream id still gets its frames (posted, their buffers transferred).
 */
export class WorkerClient<C extends Contract = AnyContract> {
  /** Resolves when the first connection opens; rejects if {@link close} comes first. */
  readonly ready: Promise<void>;
  readonly #worker: Worker;
  readonly #client: HiseClient<C>;
  readonly #port: SocketPort;
  readonly #streamListeners = new Map<string, Set<Listener>>();
  readonly #anyListeners = new Set<(id: string, data: unknown, meta: MessageMeta) => void>();
  readonly #workerListeners = new Set<(data: unknown) => void>();
  readonly #loads = new Map<number, (error: string | undefined) => void>();
  #nextKey = 1;
  #clockOffset: number | undefined;
  readonly #document = (globalThis as { document?: Document }).document;

  constructor(options: WorkerConnectOptions = {}) {
    const { workerUrl, ...connectOptions } = options;
    const WorkerClass = (globalThis as { Worker?: typeof Worker }).Worker;
    if (WorkerClass === undefined) throw new ClientError('NOT_AVAILABLE', 'connectWorker() needs Worker, which this page does not have: use connect()');
    this.#worker = new WorkerClass(workerUrl ?? new URL('./hise-webview-worker.js', import.meta.url), { type: 'module', name: 'hise-webview' });
    this.#worker.onmessage = ({ data }: MessageEvent<FromWorker>) => this.#receive(data);
    this.#worker.onerror = (event) => reportError(new Error(`hise-webview worker: ${event.message || 'failed to load'}`));
    this.#port = {
      post: (message, transfer) => this.#post(message, transfer),
      sockets: new Map<number, WorkerSocket>(),
      features: { ownedFrames: connectOptions.ownedFrames ?? true, freshStreams: (connectOptions.freshStreams ?? true) && (connectOptions.extensions ?? true), exactBuffers: connectOptions.exactBuffers ?? true },
    };
    this.#post({ t: 'visible', visible: this.#document?.visibilityState !== 'hidden' });
    this.#document?.addEventListener('visibilitychange', this.#onVisibility);
    // Fresh streams and owned frames are the worker's: the main client offers neither itself.
    this.#client = new HiseClient<C>({ ...connectOptions, freshStreams: false, ownedFrames: false, WebSocket: workerSocketClass(this.#port) });
    this.ready = this.#client.ready;
  }

  get status(): ClientStatus {
    return this.#client.status;
  }

  get mode(): ClientMode | undefined {
    return this.#client.mode;
  }

  /** Messages sent and not yet acknowledged by the host. */
  get queued(): number {
    return this.#client.queued;
  }

  /** Listens to messages under `id`: control messages as `connect`'s client, stream frames posted from the worker. */
  on<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): () => void {
    this.#client.on(id, listener);
    let set = this.#streamListeners.get(id);
    if (set === undefined) this.#streamListeners.set(id, (set = new Set()));
    set.add(listener as Listener);
    this.#wantChanged();
    return () => this.off(id, listener);
  }

  off<K extends keyof EventsOf<C> & string>(id: K, listener: (data: EventsOf<C>[K], meta: MessageMeta) => void): void {
    this.#client.off(id, listener);
    const set = this.#streamListeners.get(id);
    set?.delete(listener as Listener);
    if (set?.size === 0) this.#streamListeners.delete(id);
    this.#wantChanged();
  }

  /** Listens to every message, streams included (each stream frame is then posted from the worker). */
  onAny(listener: (id: string, data: unknown, meta: MessageMeta) => void): () => void {
    const off = this.#client.onAny(listener);
    this.#anyListeners.add(listener);
    this.#wantChanged();
    return () => {
      off();
      this.#anyListeners.delete(listener);
      this.#wantChanged();
    };
  }

  onStatus(listener: (status: ClientStatus, mode: ClientMode | undefined) => void): () => void {
    return this.#client.onStatus(listener);
  }

  send<K extends keyof MessagesOf<C> & string>(id: K, data: MessagesOf<C>[K]): SendResult {
    return this.#client.send(id, data);
  }

  call<K extends keyof HostFunctionsOf<C> & string>(name: K, ...args: Parameters<HostFunctionsOf<C>[K]>): Promise<Awaited<ReturnType<HostFunctionsOf<C>[K]>>> {
    return this.#client.call(name, ...args);
  }

  handle<K extends keyof PageFunctionsOf<C> & string>(name: K, fn: PageFunctionsOf<C>[K] | undefined): void {
    this.#client.handle(name, fn as CallHandler as PageFunctionsOf<C>[K]);
  }

  /** As `connect`'s `subscribe`: the worker's fresh streams ask the host. */
  subscribe(ids?: string | readonly string[], options?: SubscribeOptions): void {
    this.#post({ t: 'subscribe', ids: ids === undefined ? undefined : typeof ids === 'string' ? [ids] : [...ids], options });
  }

  unsubscribe(ids?: string | readonly string[]): void {
    this.#post({ t: 'unsubscribe', ids: ids === undefined ? undefined : typeof ids === 'string' ? [ids] : [...ids] });
  }

  /** The host's clock now (ms), as the worker last estimated it; undefined until then. */
  hostTime(): number | undefined {
    return this.#clockOffset === undefined ? undefined : pageTime() + this.#clockOffset;
  }

  parameter<K extends keyof ParamsOf<C> & string>(id: K): ClientParameter<ParamsOf<C>[K]> {
    return this.#client.parameter(id);
  }

  get parameterIds(): string[] {
    return this.#client.parameterIds;
  }

  onParameterError(listener: (error: ParameterError) => void): () => void {
    return this.#client.onParameterError(listener);
  }

  /**
   * Loads the ES module at `url` into the worker and calls its default export with a
   * `WorkerContext` (`on`, `subscribe`, `hostTime`, `canvases`, `options`, `post`): the place to
   * consume streams off the main thread. Each canvas given is transferred there (`OffscreenCanvas`).
   * Resolves once the module's function has run; rejects with its error.
   */
  streamsToWorker(url: string | URL, options: { canvases?: Record<string, HTMLCanvasElement>; options?: unknown } = {}): Promise<void> {
    const canvases: Record<string, OffscreenCanvas> = {};
    for (const [name, canvas] of Object.entries(options.canvases ?? {})) canvases[name] = offscreen(canvas);
    const k = this.#nextKey++;
    const loaded = new Promise<void>((resolve, reject) => this.#loads.set(k, (error) => (error === undefined ? resolve() : reject(new Error(error)))));
    this.#post({ t: 'load', k, url: new URL(url, (globalThis as { location?: Location }).location?.href).href, canvases, options: options.options }, Object.values(canvases));
    return loaded;
  }

  /**
   * Draws a reference component (oscilloscope, spectrum, peak/RMS meter) of stream `options.id` on
   * `canvas`, in the worker (WebGL2, or a 2D canvas where there is none). Returns a function that
   * stops it.
   */
  mount(canvas: HTMLCanvasElement, kind: ComponentKind, options: ComponentOptions): () => void {
    const k = this.#nextKey++;
    const transferred = offscreen(canvas);
    this.#post({ t: 'mount', k, kind, canvas: transferred, options }, [transferred]);
    return () => this.#post({ t: 'unmount', k });
  }

  /**
   * A `SharedArrayBuffer` ring holding the newest frame of stream `id` (up to `capacity` samples),
   * written by the worker as frames arrive: read it from this thread or hand `ring.buffer` to an
   * AudioWorklet (`new StreamRing(buffer)`). Needs a cross-origin isolated page (the host's
   * `crossOriginIsolation` option).
   * @throws {ClientError} `NOT_AVAILABLE` when the page is not cross-origin isolated
   */
  ring(id: string, capacity: number): StreamRing {
    if (!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') {
      throw new ClientError('NOT_AVAILABLE', 'ring() needs a cross-origin isolated page (COOP/COEP headers): serve it with the host option crossOriginIsolation: true');
    }
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new ClientError('INVALID_OPTION', `ring(): capacity must be a positive integer, got ${String(capacity)}`);
    const ring = StreamRing.create(capacity);
    this.#post({ t: 'ring', id, buffer: ring.buffer });
    return ring;
  }

  /** Listens to what the worker's modules post (`context.post`). */
  onWorkerMessage(listener: (data: unknown) => void): () => void {
    this.#workerListeners.add(listener);
    return () => this.#workerListeners.delete(listener);
  }

  /** Closes for good, and ends the worker. */
  close(): void {
    this.#document?.removeEventListener('visibilitychange', this.#onVisibility);
    this.#client.close();
    this.#worker.terminate();
    for (const settle of this.#loads.values()) settle('the client was closed');
    this.#loads.clear();
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  readonly #onVisibility = (): void => {
    this.#post({ t: 'visible', visible: this.#document?.visibilityState !== 'hidden' });
  };

  #wantChanged(): void {
    this.#post({ t: 'want', ids: [...this.#streamListeners.keys()], all: this.#anyListeners.size > 0 });
  }

  #receive(message: FromWorker): void {
    switch (message.t) {
      case 'opened':
      case 'message':
      case 'closed':
        this.#port.sockets.get(message.n)?.event(message);
        break;
      case 'stream':
        this.#emitStream(message.id, message.data, message.meta);
        break;
      case 'clock':
        this.#clockOffset = message.offset;
        break;
      case 'loaded':
        this.#loads.get(message.k)?.(message.error);
        this.#loads.delete(message.k);
        break;
      case 'post':
        for (const listener of this.#workerListeners) call(() => listener(message.data));
        break;
      case 'error':
        reportError(new Error(`hise-webview worker: ${message.message}`));
        break;
    }
  }

  #emitStream(id: string, data: unknown, meta: MessageMeta): void {
    for (const listener of this.#streamListeners.get(id) ?? []) call(() => listener(data as never, meta));
    for (const listener of this.#anyListeners) call(() => listener(id, data, meta));
  }
}

/**
 * Connects through a dedicated Worker (see {@link WorkerClient}). No side effects until called.
 * @throws {ClientError} as `connect`; `NOT_AVAILABLE` without `Worker`
 */
export function connectWorker<C extends Contract = AnyContract>(options: WorkerConnectOptions = {}): WorkerClient<C> {
  return new WorkerClient<C>(options);
}

function offscreen(canvas: HTMLCanvasElement): OffscreenCanvas {
  if (typeof canvas?.transferControlToOffscreen !== 'function') throw new ClientError('NOT_AVAILABLE', 'drawing in the worker needs a <canvas> with transferControlToOffscreen (OffscreenCanvas)');
  return canvas.transferControlToOffscreen();
}

function call(run: () => void): void {
  try {
    run();
  } catch (error) {
    reportError(error);
  }
}
