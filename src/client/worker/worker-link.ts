import { MessageType } from '../../protocol/constants.js';
import { FrameType, OWNED_PARAM, OWNED_VERSION, STREAMS_PARAM, STREAMS_VERSION, SUBPROTOCOL, TYPE_MASK } from '../../protocol/extension.js';
import { decodeFrame } from '../../protocol/frame.js';
import { STREAM_TYPES } from '../../protocol/stream-meta.js';
import { pageTime } from '../modern/host-clock.js';
import { Inbox } from '../modern/inbox.js';
import { Streams, type PageDocument } from '../modern/streams.js';
import type { MessageMeta } from '../modern/types.js';
import type { FromWorker, ToWorker } from './messages.js';
import { StreamRings } from './rings.js';

/** Frame types the worker handles itself: stream frames and fresh streams' own (PROTOCOL.md §4.8, §4.9). */
const WORKER_TYPES: ReadonlySet<number> = new Set([...STREAM_TYPES, FrameType.Timed, FrameType.OwnedHead, FrameType.StreamsReady, FrameType.StreamWindow, FrameType.TimeSync]);

type Post = (message: FromWorker, transfer?: Transferable[]) => void;
type Listener = (data: unknown, meta: MessageMeta) => void;

/** The page's visibility as the main thread reports it: what fresh streams read in place of `document`. */
class ReportedVisibility extends EventTarget implements PageDocument {
  visibilityState: DocumentVisibilityState = 'visible';
}

/**
 * The worker's side of the worker client: the real socket, and on it every stream frame decoded,
 * flow-controlled (fresh streams, owned frames) and delivered in the worker, to the modules and
 * components loaded here; everything else (strings, JSON, calls, parameters, acks) goes whole to
 * the main thread's client, as do stream frames of ids the main thread listens to (their buffers
 * transferred when nothing in the worker listens to them).
 */
export class WorkerLink {
  readonly #post: Post;
  readonly #page = new ReportedVisibility();
  #inbox!: Inbox;
  #streams!: Streams;
  readonly rings = new StreamRings();
  #socket: WebSocket | undefined;
  #n = 0;
  #legacy = false;
  #wanted = new Set<string>();
  #wantAll = false;
  /** Listeners of the modules and components in the worker, by id. */
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(post: Post) {
    this.#post = post;
    this.#setUp(true);
  }

  /** Listens in the worker to stream `id`. */
  on(id: string, listener: Listener): () => void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    this.#inbox.on(id, listener as never);
    return () => {
      set.delete(listener);
      this.#inbox.off(id, listener as never);
    };
  }

  subscribe(ids: string | readonly string[] | undefined, options?: { maxRate?: number }): void {
    this.#streams.subscribe(ids, options);
  }

  unsubscribe(ids: string | readonly string[] | undefined): void {
    this.#streams.unsubscribe(ids);
  }

  hostTime(): number | undefined {
    return this.#streams.hostTime();
  }

  handle(message: ToWorker): void {
    switch (message.t) {
      case 'open':
        this.#open(message);
        break;
      case 'send':
        if (message.n === this.#n) this.#socket?.send(message.data);
        break;
      case 'close':
        if (message.n === this.#n) this.#drop(message.code);
        break;
      case 'visible':
        this.#page.visibilityState = message.visible ? 'visible' : 'hidden';
        this.#page.dispatchEvent(new Event('visibilitychange'));
        break;
      case 'want':
        this.#wanted = new Set(message.ids);
        this.#wantAll = message.all;
        break;
      case 'subscribe':
        this.subscribe(message.ids, message.options);
        break;
      case 'unsubscribe':
        this.unsubscribe(message.ids);
        break;
      case 'ring':
        this.rings.add(message.id, message.buffer);
        break;
      default:
        break; // 'load', 'mount', 'unmount': the worker's entry
    }
  }

  /** The modules of one client session; `exact` as the main client's `exactBuffers`. */
  #setUp(exact: boolean): void {
    this.#inbox = new Inbox({ write: () => false }, exact, () => false);
    this.#streams = new Streams(this.#inbox, true, this.#page);
    this.#inbox.onAny(this.#forward);
    for (const [id, set] of this.#listeners) for (const listener of set) this.#inbox.on(id, listener as never);
  }

  #open(message: Extract<ToWorker, { t: 'open' }>): void {
    this.#drop(1000);
    if (this.#n === 0 && !message.exactBuffers) this.#setUp(false);
    const url = new URL(message.url);
    if (message.freshStreams) url.searchParams.set(STREAMS_PARAM, String(STREAMS_VERSION));
    if (message.ownedFrames) url.searchParams.set(OWNED_PARAM, String(OWNED_VERSION));
    const n = (this.#n = message.n);
    let socket: WebSocket;
    try {
      socket = message.protocols === undefined ? new WebSocket(url) : new WebSocket(url, message.protocols);
    } catch (error) {
      this.#post({ t: 'closed', n, code: 1006, reason: String(error), wasClean: false });
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    socket.onopen = () => {
      this.#legacy = socket.protocol !== SUBPROTOCOL;
      this.#streams.opened(this.#legacy ? 'legacy' : 'extended', (data) => socket.readyState === WebSocket.OPEN && socket.send(data as ArrayBuffer));
      this.#post({ t: 'opened', n, protocol: socket.protocol });
    };
    socket.onmessage = ({ data }) => {
      if (data instanceof ArrayBuffer) this.#receive(n, data);
    };
    socket.onclose = ({ code, reason, wasClean }) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#streams.closed();
      this.#post({ t: 'closed', n, code, reason, wasClean });
    };
  }

  #drop(code: number | undefined): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    socket.onopen = socket.onmessage = socket.onclose = null;
    this.#streams.closed();
    try {
      socket.close(code === undefined || code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000);
    } catch {
      // closing an unopened socket must never throw
    }
  }

  /** One message from the host: a stream frame stays here; anything else goes to the main thread whole. */
  #receive(n: number, data: ArrayBuffer): void {
    const bytes = new Uint8Array(data);
    try {
      if (this.#legacy) {
        if (bytes[0] === MessageType.Float32) return this.#inbox.receiveLegacy(bytes);
      } else if (this.#streams.awaitsPayload) {
        return this.#streams.payload(bytes);
      } else if (bytes.byteLength > 0 && WORKER_TYPES.has(bytes[0]! & TYPE_MASK)) {
        const frame = decodeFrame(bytes);
        this.#streams.frames[frame.type]?.(frame, bytes);
        if (frame.type === FrameType.TimeSync) this.#postClock();
        return;
      }
    } catch (error) {
      this.#post({ t: 'error', message: String((error as Error)?.message ?? error) });
      return;
    }
    this.#post({ t: 'message', n, data }, [data]);
  }

  #postClock(): void {
    const hostTime = this.#streams.hostTime();
    if (hostTime !== undefined) this.#post({ t: 'clock', offset: hostTime - pageTime() });
  }

  /** A stream frame delivered in the worker: to the rings, and to the main thread if it listens to the id. */
  readonly #forward = (id: string, data: unknown, meta: MessageMeta): void => {
    this.rings.write(id, data, meta);
    if (!this.#wantAll && !this.#wanted.has(id)) return;
    const owned = ArrayBuffer.isView(data) && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
    // Transferred when nothing here keeps it; a copy (structured clone) otherwise.
    const transfer = owned && !(this.#listeners.get(id)?.size ?? 0) ? [data.buffer as ArrayBuffer] : [];
    this.#post({ t: 'stream', id, data, meta }, transfer);
  };
}
