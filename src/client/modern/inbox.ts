import { decodeMessage } from '../../protocol/decode.js';
import { encodeAck, readUint32Frame } from '../../protocol/delivery.js';
import { FrameType } from '../../protocol/extension.js';
import { readPayload, type Frame } from '../../protocol/frame.js';
import type { StreamMeta } from '../../protocol/stream-meta.js';
import { reportError } from '../report-error.js';
import type { Transport } from './transport.js';
import type { ClientModule, FrameHandler, FrameRoutes, MessageMeta } from './types.js';

type Listener = (data: never, meta: MessageMeta) => void;
type AnyListener = (id: string, data: unknown, meta: MessageMeta) => void;

/**
 * Host → page messages: the listeners by id and for every id, each message's meta (its number,
 * frames the host dropped before it), and exactly-once for the host's strings and JSON (numbered
 * per session, resent after a reconnect, acknowledged once a turn).
 */
export class Inbox implements ClientModule {
  /** Frames the host coalesced or dropped for this page, over all ids. */
  dropped = 0;
  /** Strings and JSON, numbered per session: resent after a reconnect until acknowledged, delivered once. */
  readonly #numbered: FrameHandler = (frame) => {
    if (frame.seq !== undefined) {
      this.#scheduleAck(); // a resend we already have is acknowledged again, so the host can let it go
      if (frame.seq <= this.#hostSeq) return;
      this.#hostSeq = frame.seq;
    }
    this.#emit(frame.id, readPayload(frame), undefined, undefined);
  };
  readonly frames: FrameRoutes = { [FrameType.Hello]: (frame) => this.#hello(frame), [FrameType.String]: this.#numbered, [FrameType.Json]: this.#numbered };
  readonly #transport: Pick<Transport, 'write'>;
  readonly #exact: boolean;
  /** HISE's format: takes a text message with a reserved id instead of the listeners (true when it did). */
  readonly #claimText: (id: string, text: string) => boolean;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #anyListeners = new Set<AnyListener>();
  readonly #lastSeq = new Map<string, number>();
  /** The host's numbering of its strings and JSON to this session, and how far this page has delivered it. */
  #hostEpoch = 0;
  #hostSeq = 0;
  #ackScheduled = false;

  constructor(transport: Pick<Transport, 'write'>, exactBuffers: boolean, claimText: (id: string, text: string) => boolean) {
    this.#transport = transport;
    this.#exact = exactBuffers;
    this.#claimText = claimText;
  }

  on(id: string, listener: Listener): void {
    let set = this.#listeners.get(id);
    if (set === undefined) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
  }

  off(id: string, listener: Listener): void {
    this.#listeners.get(id)?.delete(listener);
  }

  onAny(listener: AnyListener): () => void {
    this.#anyListeners.add(listener);
    return () => this.#anyListeners.delete(listener);
  }

  /** A message in HISE's format (a host that speaks only it). */
  receiveLegacy(bytes: Uint8Array): void {
    const message = decodeMessage(bytes, this.#exact ? { exact: true } : { inPlace: true });
    if (typeof message.data === 'string' && this.#claimText(message.id, message.data)) return;
    this.#emit(message.id, message.data, undefined, undefined);
  }

  /** A payload frame to the listeners, with its number and (stream frames) the host's time. */
  deliver(frame: Frame, extra: StreamMeta | undefined): void {
    this.#emit(frame.id, readPayload(frame, { exact: this.#exact }), frame.seq, extra);
  }

  #hello(frame: Frame): void {
    const epoch = readUint32Frame(frame);
    if (epoch !== this.#hostEpoch) this.#hostSeq = 0; // a new host, or one that forgot us: it counts from 1 again
    this.#hostEpoch = epoch;
  }

  /** One ack per turn of the event loop, for everything delivered so far. */
  #scheduleAck(): void {
    if (this.#ackScheduled) return;
    this.#ackScheduled = true;
    setTimeout(() => {
      this.#ackScheduled = false;
      this.#transport.write(encodeAck(this.#hostSeq));
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
}
