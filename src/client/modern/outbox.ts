import { encodeValue, toJson } from '../../protocol/frame.js';
import { readUint32Frame } from '../../protocol/delivery.js';
import { FrameType } from '../../protocol/extension.js';
import { SequencedLog } from '../../protocol/sequenced-log.js';
import type { Transport } from './transport.js';
import type { ClientMode, ClientModule, FrameRoutes, Outbound, SendResult } from './types.js';

/** Encodes a queued item for the connection's mode, numbered `seq`; undefined when that mode cannot carry it. */
export type Encode = (id: string, value: unknown, seq: number, mode: ClientMode) => Outbound | undefined;

interface Outgoing {
  id: string;
  value: unknown;
  encode: Encode;
}

/**
 * Page → host, exactly once (PROTOCOL.md §4): every message (and parameter operation) is numbered
 * and kept until the host acknowledges it, sent again in order after a reconnect (the host skips
 * what it already has), bounded by `maxQueue` and `maxQueueBytes`. HISE's server has no acks: in
 * HISE's format a message counts as delivered once written.
 */
export class Outbox implements ClientModule {
  readonly frames: FrameRoutes = {
    [FrameType.Ack]: (frame) => void this.#log.ack(readUint32Frame(frame)),
  };
  readonly #log: SequencedLog<Outgoing>;
  readonly #transport: Transport;

  constructor(transport: Transport, maxQueue: number, maxQueueBytes: number) {
    this.#transport = transport;
    this.#log = new SequencedLog(maxQueue, maxQueueBytes);
  }

  /** Messages not yet acknowledged (including those waiting for a connection). */
  get queued(): number {
    return this.#log.pending.length;
  }

  /** Queues a message of `send`: strings, JSON values, typed arrays, bytes. */
  send(id: string, value: unknown): SendResult {
    return this.add(id, value, sizeOf(value), encodeMessage);
  }

  /** Queues `value`, `bytes` long as the queue counts it, and writes it at once when connected. */
  add(id: string, value: unknown, bytes: number, encode: Encode): SendResult {
    const entry = this.#log.add({ id, value, encode }, bytes);
    if (entry === undefined) return 'dropped';
    if (!this.#transport.isOpen) return 'queued';
    this.#transmit(entry.seq, entry.item);
    if (this.#transport.mode === 'legacy') this.#log.ack(entry.seq);
    return 'sent';
  }

  /** Everything not yet acknowledged goes again, in order. */
  opened(mode: ClientMode): void {
    for (const { seq, item } of this.#log.pending) this.#transmit(seq, item);
    if (mode === 'legacy') this.#log.ack(Number.MAX_SAFE_INTEGER);
  }

  #transmit(seq: number, { id, value, encode }: Outgoing): void {
    const data = encode(id, value, seq, this.#transport.mode!);
    if (data !== undefined) this.#transport.write(data);
  }
}

/** A message in the extended format (id, type, number), or in HISE's: no id, strings as text, floats as raw bytes, JSON as text; other bytes it cannot carry. */
const encodeMessage: Encode = (id, value, seq, mode) => {
  if (mode === 'extended') return encodeValue(id, value, { seq, align: true });
  if (typeof value === 'string' || value instanceof Float32Array) return value;
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer ? undefined : toJson(value);
};

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length * 3;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return 64; // JSON is measured when encoded; this only bounds the queue
}
