import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Broadcast, SendResult } from '../broadcast.js';
import type { Capability } from '../capability.js';
import type { HostCore } from '../core.js';
import { checkAttached, checkId, hiseMessage, json, textBytesMessage, type OutboundMessage } from '../delivery/outbound.js';
import type { Direct } from '../direct/direct.js';
import { WebViewError } from '../errors.js';
import type { Connection } from '../pages/connection.js';
import { hiseJson } from '../../protocol/hise-json.js';
import { cutAsHise, HISE_MAX_INTACT_PAYLOAD, hiseCharCount, hisePayloadBytes, isAscii } from './hise-text.js';
import { count, HiseWarnings, quoteId } from './warnings.js';

/** Milliseconds of HISE's send cycle: messages of one id queued within it are replaced by the latest. */
export const HISE_CYCLE_MS = 5;

/** Buffer slots HISE has: an index wraps at this. */
const BUFFER_SLOTS = 256;

interface Queued {
  readonly message: OutboundMessage;
  readonly data: unknown;
}

interface BufferSlot {
  readonly buffer: Float32Array;
  /** Floats per frame, fixed when the buffer was added (as in HISE). */
  readonly length: number;
}

/**
 * HISE-strict mode (`hise: 'strict'`, docs/HISE-STRICT.md): what HISE's ScriptWebView does that a
 * page could notice, reproduced, or reported as a coded `hise-warning` the moment it happens.
 * `sendToWebSocket` and buffers go through HISE's ~5 ms send cycle (latest per id), text is cut as
 * HISE cuts it, data HISE drops is dropped, buffers go to the first open page only; persistent calls
 * and bindings outlive a host-module restart (src/host/direct/direct.ts asks `core.hise`).
 */
export class HiseStrict implements Capability {
  readonly warnings: HiseWarnings;
  readonly #core: HostCore;
  readonly #broadcast: Broadcast;
  /** This cycle's messages, the latest per id, in first-queued order. */
  readonly #cycle = new Map<string, Queued>();
  /** Buffers marked for this cycle (added, or `updateBuffer`). */
  readonly #dirty = new Set<number>();
  readonly #buffers = new Map<number, BufferSlot>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When each HISE-format connection last sent a binary message (`performance.now()`). */
  readonly #lastBinary = new WeakMap<Connection, number>();

  constructor(core: HostCore, broadcast: Broadcast, direct: Direct) {
    this.#core = core;
    this.#broadcast = broadcast;
    this.warnings = new HiseWarnings(core);
    direct.persistent.keepWhileDisabled = true; // HISE: off then on replays what was stored before
    core.hise = this;
  }

  /**
   * `sendToWebSocket` as HISE does it: strings and objects (JSON with HISE's spacing) as text cut to
   * its character count, `Float32Array`s copied now; anything else dropped. Queued for the cycle.
   * @throws {WebViewError} `INVALID_ID`, `UNSERIALIZABLE_DATA`, `DETACHED_BUFFER`, `UNSUPPORTED_DATA` (too large)
   */
  send(id: string, data: unknown, spelling: 'sendToWebSocket' | 'sendToWebsocket'): SendResult {
    const checkedId = checkId(id);
    if (spelling === 'sendToWebsocket') {
      this.warnings.warn('HISE_METHOD_MISSPELLED', undefined, 'sendToWebsocket is the spelling of HISE\'s docs: HISE registers only sendToWebSocket, so this call throws inside HISE');
    }
    if (!isAscii(checkedId)) {
      this.warnings.warn('HISE_NON_ASCII_ID', checkedId, `id ${quoteId(checkedId)} is not ASCII: HISE writes an id's length in characters, not bytes, which corrupts the message inside HISE`);
    }
    let message: OutboundMessage;
    let dataBytes: number;
    if (typeof data === 'string' || isPlainObject(data)) {
      const text = typeof data === 'string' ? data : hiseJson(json(data));
      const bytes = this.#cut(checkedId, text);
      message = textBytesMessage(checkedId, bytes);
      dataBytes = bytes.byteLength;
    } else if (data instanceof Float32Array) {
      message = hiseMessage(checkedId, data, () => this.#broadcast.nextSeq(checkedId));
      dataBytes = data.byteLength;
      data = data.slice(); // what observers see is what was sent, whatever the caller does to its buffer
    } else {
      this.warnings.warn('HISE_DATA_DROPPED', checkedId, `message ${quoteId(checkedId)} is ${describe(data)}: HISE's sendToWebSocket sends strings, Buffers and objects only and drops it silently (dropped here too)`);
      return 'dropped';
    }
    if (this.#core.started === undefined) {
      this.warnings.warn('HISE_SEND_BEFORE_ENABLE', checkedId, `message ${quoteId(checkedId)} was sent before setEnableWebSocket: inside HISE it goes nowhere (dropped here too)`);
      return 'dropped';
    }
    this.#checkLength(checkedId, hisePayloadBytes(checkedId, dataBytes));
    if (this.#cycle.has(checkedId)) {
      this.warnings.warn('HISE_SAME_CYCLE', checkedId, `message ${quoteId(checkedId)} was sent again within one ~${HISE_CYCLE_MS} ms cycle: HISE sends only the latest message per id per cycle, so the earlier one never arrives (here neither)`);
    }
    this.#cycle.set(checkedId, { message, data });
    this.#schedule();
    return 'queued';
  }

  /**
   * `addBufferToWebSocket` as HISE does it: the index wraps at 256, the frame length is fixed now,
   * and the buffer goes out once, in the next cycle, to the first open page.
   * @throws {WebViewError} `INVALID_BUFFER_INDEX` (not a whole number ≥ 0), `UNSUPPORTED_DATA`, `DETACHED_BUFFER`
   */
  addBuffer(index: number, buffer: Float32Array): void {
    const slot = this.#slot(index);
    if (!(buffer instanceof Float32Array)) throw new WebViewError('UNSUPPORTED_DATA', 'addBufferToWebSocket needs a Float32Array');
    checkAttached(buffer);
    this.#buffers.set(slot, { buffer, length: buffer.length });
    this.#dirty.add(slot);
    this.#schedule();
  }

  /** `updateBuffer` as HISE does it: marks the buffer for the next cycle; an unknown index does nothing. */
  updateBuffer(index: number): SendResult {
    const slot = this.#slot(index);
    if (!this.#buffers.has(slot)) {
      this.warnings.warn('HISE_BUFFER_UNKNOWN', String(slot), `updateBuffer(${index}): no buffer is registered at ${slot}; HISE does nothing (nor does strict mode)`);
      return 'dropped';
    }
    this.#dirty.add(slot);
    this.#schedule();
    return 'queued';
  }

  /** A callback bound by a run of the host module that has restarted: what a page's call to it gets (HISE: `null`). */
  staleBinding(name: string): (args: unknown[]) => unknown {
    return () => {
      this.warnings.warn('HISE_STALE_BINDING', name, `a page called ${quoteId(name)}, bound by an earlier run of the host module: inside HISE a callback of the old compile resolves null (here too)`);
      return null;
    };
  }

  /** A message of a HISE-format page, as it came off the socket. */
  received(connection: Connection, bytes: number, isBinary: boolean): void {
    this.#checkBatch(connection, isBinary);
    if (bytes <= HISE_MAX_INTACT_PAYLOAD) return;
    this.warnings.warn(
      'HISE_PAGE_FRAME_TOO_LONG',
      undefined,
      `page ${connection.page.id} sent a ${isBinary ? 'binary' : 'text'} message of ${count(bytes)} bytes: HISE reads WebSocket extended lengths little-endian (a 64-bit one as 0), so it mis-reads any page→host message over ${HISE_MAX_INTACT_PAYLOAD} bytes`,
      connection.page,
    );
  }

  /** A WebSocket upgrade to the port the page was served from: refused (404), as that socket goes nowhere inside HISE. */
  refusePageSocket(socket: Duplex, socketPort: number): true {
    this.warnings.warn(
      'HISE_PAGE_ORIGIN',
      undefined,
      `a page opened a WebSocket to the port it was served from: inside HISE the page is at choc://choc.choc (macOS) or https://choc.localhost (Windows), not http://localhost:PORT, so a relative socket URL or one built from location.port goes nowhere; connect to ws://localhost:${socketPort} (the port the host passes to the page, e.g. with callFunction)`,
    );
    if (!socket.destroyed) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return true;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#cycle.clear();
    this.#dirty.clear();
  }

  #cut(id: string, text: string): Uint8Array {
    const bytes = cutAsHise(text);
    const whole = Buffer.byteLength(text, 'utf8');
    if (bytes.byteLength < whole) {
      this.warnings.warn(
        'HISE_TEXT_CUT',
        id,
        `message ${quoteId(id)} has ${count(hiseCharCount(text))} characters in ${count(whole)} UTF-8 bytes: HISE counts characters, so the page gets only the first ${count(bytes.byteLength)} bytes (here too)`,
      );
    }
    return bytes;
  }

  /** HISE's parser keeps one buffer per read batch (~5 ms): a text after a binary message within it arrives as that buffer. */
  #checkBatch(connection: Connection, isBinary: boolean): void {
    const time = performance.now();
    if (isBinary) {
      this.#lastBinary.set(connection, time);
      return;
    }
    const binary = this.#lastBinary.get(connection);
    if (binary === undefined || time - binary >= HISE_CYCLE_MS) return;
    this.warnings.warn(
      'HISE_PARSER_BATCH',
      undefined,
      `page ${connection.page.id} sent text ${(time - binary).toFixed(1)} ms after a binary message: HISE's parser keeps one buffer per ~${HISE_CYCLE_MS} ms read batch and would deliver this text as that buffer (here it arrives as text)`,
      connection.page,
    );
  }

  #checkLength(id: string, payload: number): void {
    if (payload <= HISE_MAX_INTACT_PAYLOAD) return;
    this.warnings.warn('HISE_FRAME_TOO_LONG', id, `message ${quoteId(id)} is ${count(payload)} bytes: inside HISE a host→page message over ${HISE_MAX_INTACT_PAYLOAD} bytes stalls the page's socket (HISE writes WebSocket extended lengths little-endian)`);
  }

  /** @throws {WebViewError} `INVALID_BUFFER_INDEX` */
  #slot(index: number): number {
    if (!Number.isInteger(index) || index < 0) throw new WebViewError('INVALID_BUFFER_INDEX', `buffer index must be a whole number >= 0, got ${String(index)}`);
    const slot = index % BUFFER_SLOTS;
    if (slot !== index) this.warnings.warn('HISE_BUFFER_INDEX_WRAPPED', String(index), `buffer index ${index} is over 255: HISE wraps it to ${slot} (here too)`);
    return slot;
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => this.#flush(), HISE_CYCLE_MS);
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#core.closed) return;
    const queued = [...this.#cycle.values()];
    this.#cycle.clear();
    for (const { message, data } of queued) this.#broadcast.sendHiseMessage(message, data);
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    for (const slot of dirty) this.#sendBuffer(slot);
  }

  /** A buffer's current contents, as many floats as when it was added, to the first open page. */
  #sendBuffer(slot: number): void {
    const { buffer, length } = this.#buffers.get(slot)!;
    const id = String(slot);
    let samples: Float32Array;
    try {
      checkAttached(buffer);
      samples = buffer.length === length ? buffer : fitted(buffer, length);
    } catch (error) {
      this.#core.report(error as WebViewError, undefined);
      return;
    }
    if (samples !== buffer) {
      this.warnings.warn('HISE_BUFFER_LENGTH_FIXED', id, `buffer ${id} now has ${count(buffer.length)} floats: HISE fixes a buffer's frame length when it is added (${count(length)} floats), and so does strict mode`);
    }
    this.#checkLength(id, hisePayloadBytes(id, length * 4));
    const sent = this.#broadcast.sendToFirstPage(hiseMessage(id, samples, () => this.#broadcast.nextSeq(id)), samples.slice());
    if (sent === undefined) {
      this.warnings.warn('HISE_BUFFER_NO_PAGE', id, `buffer ${id} was sent while no page was open: HISE sends a buffer when it is added or updated, to the first open page only, and never again on a connect (here too)`);
    } else if (sent.others > 0) {
      this.warnings.warn('HISE_BUFFER_FIRST_PAGE', id, `buffer ${id} went to page ${sent.page.id} only: HISE sends buffers to the first open page, not to the ${sent.others} other${sent.others === 1 ? '' : 's'} (here too)`, sent.page);
    }
  }
}

/** `buffer` cut or zero-padded to `length` floats. */
function fitted(buffer: Float32Array, length: number): Float32Array {
  const samples = new Float32Array(length);
  samples.set(buffer.subarray(0, length));
  return samples;
}

function isPlainObject(data: unknown): data is object {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const proto = Object.getPrototypeOf(data) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
