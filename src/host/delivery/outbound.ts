import {
  encodeOwnedHead,
  OWNED_MIN_BYTES,
  encodeTimedFrame,
  encodeFloat32,
  encodeFrame,
  encodeString,
  encodeStringBytes,
  FrameType,
  ProtocolError,
  toJson,
  utf8ByteLength,
  valueToWire,
  Limits,
  withSequence,
  type StreamMeta,
} from '../../protocol/index.js';
import { hostCodeForEncodeError, WebViewError } from '../errors.js';

/** Whether a frame carries stream data (may be coalesced under backpressure) or a control message (never dropped). */
export type FrameKind = 'stream' | 'control';

/** One frame as it goes to one kind of page. */
export interface WireFrame {
  readonly id: string;
  readonly kind: FrameKind;
  readonly bytes: Uint8Array;
  /**
   * An owned stream frame (PROTOCOL.md §4.9): `bytes` is its head and this its payload, written as
   * the next WebSocket message; the two count as one frame ({@link wireBytes}).
   */
  readonly payload?: Uint8Array;
}

/** Bytes of a frame on the wire: what backpressure and fresh-streams credit count. */
export function wireBytes(frame: WireFrame): number {
  return frame.bytes.byteLength + (frame.payload?.byteLength ?? 0);
}

/** What `sendToWebSocket` accepts: HISE's String and Buffer, and objects or arrays as JSON. */
export type SendableData = string | Float32Array | readonly unknown[] | Record<string, unknown>;

type Encoder = () => Uint8Array | null;

/** What `send` may give a stream message beside its data (PROTOCOL.md §4.8): see `StreamMeta`. */
export interface SendOptions extends StreamMeta {}

/**
 * One message for every page, encoded at most once per kind of page and only when a page of that
 * kind needs it: HISE's frames for legacy pages, aligned and sequenced frames for pages that
 * negotiated the extension. Everything that could fail is checked when the message is made.
 *
 * Immutable once made: session logs hold references to one message, never copies of its frames,
 * so a message waiting in many sessions' logs is held (and counted) once.
 */
export class OutboundMessage {
  readonly id: string;
  readonly kind: FrameKind;
  #legacy: WireFrame | null | undefined;
  #extended: WireFrame | undefined;
  /** The sequenced extended frame, numbered 0: each session gets a copy with its own number. */
  #sequencedTemplate: Uint8Array | undefined;
  readonly #encodeLegacy: Encoder;
  readonly #encodeExtended: (seq?: number) => Uint8Array;
  /** A stream's time and sample position as `send` was given them, checked; undefined when it has none. */
  readonly meta: StreamMeta | undefined;
  /** The Timed form, for pages that speak fresh streams, when the message has a time or sample position. */
  readonly #encodeTimed: (() => Uint8Array) | undefined;
  #timed: WireFrame | undefined;
  /** The owned form (head + payload), for pages that offered it; undefined for control messages. */
  readonly #encodeOwned: ((meta: StreamMeta | undefined) => { bytes: Uint8Array; payload: Uint8Array }) | undefined;
  #owned: WireFrame | undefined;

  constructor(
    id: string,
    kind: FrameKind,
    encodeLegacy: Encoder,
    encodeExtended: (seq?: number) => Uint8Array,
    timed?: { meta: StreamMeta; encode: () => Uint8Array },
    encodeOwned?: (meta: StreamMeta | undefined) => { bytes: Uint8Array; payload: Uint8Array },
  ) {
    this.id = id;
    this.kind = kind;
    this.#encodeLegacy = encodeLegacy;
    this.#encodeExtended = encodeExtended;
    this.meta = timed?.meta;
    this.#encodeTimed = timed?.encode;
    this.#encodeOwned = encodeOwned;
  }

  /**
   * A control message as one session of a modern page gets it: numbered in that session's
   * sequence, so the page delivers it once and acknowledges it (PROTOCOL.md §4). Encoded once for
   * all sessions; each call returns a fresh copy carrying `seq`.
   */
  sequenced(seq: number): WireFrame {
    return this.#wire(withSequence(this.#template(), seq));
  }

  /** Bytes of this message's sequenced frame: what a session log is charged for holding it. */
  get sequencedBytes(): number {
    return this.#template().byteLength;
  }

  /**
   * The frame for a page; `null` when a legacy page cannot read this payload type. A page that
   * speaks fresh streams (`timed`) gets a stream's time and sample position too; one that offered
   * owned frames (`owned`, PROTOCOL.md §4.9) gets a stream frame as head + payload.
   */
  forPage(extended: boolean, timed = false, owned = false): WireFrame | null {
    if (extended && owned && this.#encodeOwned !== undefined) {
      return (this.#owned ??= { id: this.id, kind: this.kind, ...this.#encodeOwned(timed ? this.meta : undefined) });
    }
    if (extended && timed && this.#encodeTimed !== undefined) return (this.#timed ??= this.#wire(this.#encodeTimed()));
    if (extended) return (this.#extended ??= this.#wire(this.#encodeExtended()))!;
    if (this.#legacy === undefined) {
      const bytes = this.#encodeLegacy();
      this.#legacy = bytes === null ? null : this.#wire(bytes);
    }
    return this.#legacy;
  }

  #template(): Uint8Array {
    return (this.#sequencedTemplate ??= this.#encodeExtended(0));
  }

  #wire(bytes: Uint8Array): WireFrame {
    return { id: this.id, kind: this.kind, bytes };
  }
}

/**
 * HISE's `sendToWebSocket`: string → type 1, `Float32Array` → type 2 (copied now), plain object or
 * array → JSON text as type 1. Extended pages get the same types, aligned, floats with `seq`.
 * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `DETACHED_BUFFER`
 */
export function hiseMessage(id: unknown, data: unknown, seq: () => number, meta?: SendOptions): OutboundMessage {
  const checkedId = checkId(id);
  const checkedMeta = checkMeta(meta, data instanceof Float32Array);
  if (typeof data === 'string') return textMessage(checkedId, data, FrameType.String);
  if (data instanceof Float32Array) {
    checkAttached(data);
    // Copied now: the caller may change its buffer as soon as this returns.
    const legacy = guard(() => encodeFloat32(checkedId, data));
    const sequence = seq();
    const floats = (): Uint8Array => legacy.subarray(legacy.byteLength - data.byteLength);
    return new OutboundMessage(
      checkedId,
      'stream',
      () => legacy,
      () => encodeFrame(FrameType.Float32, checkedId, floats(), { seq: sequence, align: true }),
      checkedMeta && { meta: checkedMeta, encode: () => encodeTimedFrame(FrameType.Float32, checkedId, floats(), checkedMeta, { seq: sequence }) },
      data.byteLength >= OWNED_MIN_BYTES ? (meta) => ({ bytes: encodeOwnedHead(FrameType.Float32, checkedId, data.byteLength, meta, sequence), payload: floats() }) : undefined,
    );
  }
  if (isJsonContainer(data)) return textMessage(checkedId, json(data), FrameType.String);
  throw new WebViewError('UNSUPPORTED_DATA', `cannot send ${describe(data)}: use a string, a Float32Array, a plain object or an array`);
}

/**
 * The modern `send`: any value the extension carries. Legacy pages get what HISE's format can
 * carry (strings, float32, JSON as text) and nothing else.
 * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`, `DETACHED_BUFFER`
 */
export function anyMessage(id: unknown, value: unknown, seq: () => number, meta?: SendOptions): OutboundMessage {
  const checkedId = checkId(id);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) checkAttached(value);
  if (typeof value === 'string' || value instanceof Float32Array) return hiseMessage(checkedId, value, seq, meta);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw new WebViewError('UNSUPPORTED_DATA', `cannot send ${describe(value)}`);
  }
  const [type, wire] = guard(() => valueToWire(value));
  const checkedMeta = checkMeta(meta, type !== FrameType.Json);
  if (type === FrameType.Json) {
    const text = wire as string;
    return new OutboundMessage(
      checkedId,
      'control',
      () => encodeString(checkedId, text),
      (seq) => encodeFrame(FrameType.Json, checkedId, text, { align: true, ...(seq === undefined ? {} : { seq }) }),
    );
  }
  // Typed arrays and bytes: streams, copied now, sequenced; HISE's format has no place for them.
  const bytes = (wire as Uint8Array).slice();
  checkDataSize(bytes.byteLength);
  const sequence = seq();
  return new OutboundMessage(
    checkedId,
    'stream',
    () => null,
    () => encodeFrame(type, checkedId, bytes, { seq: sequence, align: true }),
    checkedMeta && { meta: checkedMeta, encode: () => encodeTimedFrame(type, checkedId, bytes, checkedMeta, { seq: sequence }) },
    bytes.byteLength >= OWNED_MIN_BYTES ? (meta) => ({ bytes: encodeOwnedHead(type, checkedId, bytes.byteLength, meta, sequence), payload: bytes }) : undefined,
  );
}

/**
 * The meta a stream message carries, checked; undefined when it carries none.
 * @throws {WebViewError} `INVALID_OPTION` for values that are not finite numbers, unknown keys, or meta on a string or JSON message
 */
function checkMeta(meta: SendOptions | undefined, isStream: boolean): StreamMeta | undefined {
  if (meta === undefined) return undefined;
  if (typeof meta !== 'object' || meta === null) throw new WebViewError('INVALID_OPTION', `send options must be an object, got ${describe(meta)}`);
  const checked: StreamMeta = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined) continue;
    if (key !== 'time' && key !== 'samplePosition') throw new WebViewError('INVALID_OPTION', `unknown send option '${key}' (known: time, samplePosition)`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new WebViewError('INVALID_OPTION', `send option ${key} must be a finite number, got ${describe(value)}`);
    checked[key] = value;
  }
  if (checked.time === undefined && checked.samplePosition === undefined) return undefined;
  if (!isStream) throw new WebViewError('INVALID_OPTION', 'time and samplePosition go with stream data (typed arrays and bytes), not strings or JSON');
  return checked;
}

/** A control frame that only extended pages get (call results, acks, calls). */
export function controlFrame(bytes: Uint8Array): WireFrame {
  return { id: '', kind: 'control', bytes };
}

function textMessage(id: string, text: string, type: FrameType): OutboundMessage {
  const legacy = guard(() => encodeString(id, text));
  return new OutboundMessage(id, 'control', () => legacy, (seq) =>
    encodeFrame(type, id, text, { align: true, ...(seq === undefined ? {} : { seq }) }),
  );
}

/**
 * A string message whose data are `bytes` as given (HISE-strict mode's text, cut as HISE cuts it).
 * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`
 */
export function textBytesMessage(id: string, bytes: Uint8Array): OutboundMessage {
  const legacy = guard(() => encodeStringBytes(id, bytes));
  return new OutboundMessage(id, 'control', () => legacy, (seq) =>
    encodeFrame(FrameType.String, id, bytes, { align: true, ...(seq === undefined ? {} : { seq }) }),
  );
}

/**
 * Checks an id the wire format can carry.
 * @throws {WebViewError} `INVALID_ID`
 */
export function checkId(id: unknown): string {
  if (typeof id !== 'string') throw new WebViewError('INVALID_ID', `id must be a string, got ${describe(id)}`);
  if (id.includes('\0')) throw new WebViewError('INVALID_ID', 'an id cannot contain a NUL character');
  const bytes = guard(() => utf8ByteLength(id));
  // Leave room for the alignment padding of extended frames.
  if (bytes > Limits.MAX_ID_BYTES - 8) throw new WebViewError('INVALID_ID', `id of ${bytes} UTF-8 bytes is too long`);
  return id;
}

/**
 * Refuses data whose buffer was transferred away (`postMessage(…, [buffer])`, `structuredClone`
 * with `transfer`): reading it would throw a raw `TypeError` deep in the encoder.
 * @throws {WebViewError} `DETACHED_BUFFER`
 */
export function checkAttached(data: ArrayBufferView | ArrayBuffer): void {
  if (isDetached(ArrayBuffer.isView(data) ? data.buffer : data)) {
    throw new WebViewError('DETACHED_BUFFER', `cannot send a ${describe(data)} whose buffer was transferred (detached)`);
  }
}

function isDetached(buffer: ArrayBufferLike): boolean {
  if ('detached' in buffer) return (buffer as { detached: boolean }).detached; // Node 22 and later
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

function checkDataSize(bytes: number): void {
  if (bytes > Limits.MAX_DATA_BYTES) throw new WebViewError('UNSUPPORTED_DATA', `data of ${bytes} bytes is too large`);
}

function guard<T>(encode: () => T): T {
  try {
    return encode();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    if (error.code === 'UNSERIALIZABLE') throw new WebViewError('UNSERIALIZABLE_DATA', error.message, { cause: error });
    throw new WebViewError(hostCodeForEncodeError(error.code), error.message, { cause: error });
  }
}

/** `data` as JSON text. @throws {WebViewError} `UNSERIALIZABLE_DATA` */
export function json(data: object): string {
  return guard(() => toJson(data));
}

/**
 * Checks that `value` has a JSON form.
 * @throws {WebViewError} `UNSERIALIZABLE_DATA`
 */
export function checkSerializable(value: unknown): void {
  guard(() => toJson(value));
}

function isJsonContainer(data: unknown): data is object {
  if (Array.isArray(data)) return true;
  if (typeof data !== 'object' || data === null) return false;
  const proto = Object.getPrototypeOf(data) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
