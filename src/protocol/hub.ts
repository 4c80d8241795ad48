import { ProtocolError } from './errors.js';
import { readUtf8, utf8ByteLength, writeUtf8 } from './utf8.js';

/**
 * The hub protocol between hise-webview instances sharing one port (PROTOCOL.md §8). Pure: the
 * byte layout of data frames and the shapes of control messages, no sockets.
 */

/** Path of the hub's own WebSocket on the shared port. Pages never use it. */
export const HUB_PATH = '/__hise-webview/hub';
/** The subprotocol an instance offers when it joins the hub. */
export const HUB_SUBPROTOCOL = 'hise-webview-hub.2';
/** Header carrying the joining instance's nonce (browsers cannot set headers on a WebSocket). */
export const HUB_NONCE_HEADER = 'x-hise-webview-nonce';
export { INSTANCE_PARAM } from './bridge.js';
/** Header of the 503 a closing hub answers a joiner with: try again (the successor is coming), unlike a refusal. */
export const HUB_CLOSING_HEADER = 'x-hise-webview-hub-closing';
/** Header of the 503 a hub answers while {@link HUB_SUBPROTOCOL} joiners fill its handshake slots: busy, retry with backoff (not foreign). */
export const HUB_BUSY_HEADER = 'x-hise-webview-hub-busy';

/** Operation byte of a binary hub frame (the 0x30–0x3F range the project reserves for issue 15/16). */
export const HubOp = {
  /** An instance's broadcast (`sendToWebSocket`, `send`, buffers): every page on the port gets it. */
  Send: 0x30,
  /** A page's message: every instance's callback and `onMessage` handlers get it. */
  PageMessage: 0x31,
  /** A retained id's latest value, sent to an instance when it joins: sets state, deduplicated but never advancing. */
  State: 0x32,
} as const;
export type HubOp = (typeof HubOp)[keyof typeof HubOp];

/** Flag bits of a binary hub frame. */
export const HubFlag = {
  /** The id is retained by its sender: receivers keep its latest value for pages that connect later. */
  Retained: 0x01,
  /** Sent with HISE's `sendToWebSocket` (objects as JSON text for HISE pages), not `send`. */
  HiseApi: 0x02,
} as const;

/** How a value is carried in a binary hub frame. */
export const HubValueType = {
  String: 0,
  Json: 1,
  Float32: 2,
  Int16: 3,
  Int32: 4,
  Float64: 5,
  Bytes: 6,
  /** No value (a HISE page's message that decoded to nothing). */
  Undefined: 7,
} as const;
export type HubValueType = (typeof HubValueType)[keyof typeof HubValueType];

/** Fixed header of a binary hub frame: op, flags, value type, then the JSON header's byte length (uint16 LE). */
export const HUB_FIXED_HEADER = 5;
/** Largest JSON header (the uint16 length field). */
export const MAX_HUB_HEADER = 0xffff;

/** A page as other instances see it. */
export interface RelayedPage {
  /** Id of the instance the page belongs to. */
  instance: string;
  /** The page's id at that instance. */
  id: number;
  tab?: string;
  origin?: string;
  path: string;
  extended: boolean;
}

/** The JSON header of a binary hub frame. */
export interface HubDataHeader {
  /** Origin instance id. */
  o: string;
  /** Origin's sequence number (from 1, per origin instance): receivers deliver each once. */
  s: number;
  /** The message id (undefined for a HISE page's message, which has none). */
  id?: string;
  /** With {@link HubOp.PageMessage}: the page it came from. */
  p?: RelayedPage;
  /** With {@link HubOp.Send} of a stream: its `time` / `samplePosition` (`send`'s options, §4.8). */
  m?: { time?: number; samplePosition?: number };
}

/** A decoded binary hub frame. */
export interface HubData {
  op: HubOp;
  flags: number;
  header: HubDataHeader;
  value: unknown;
}

/** UTF-8 bytes of `text`; a lone surrogate is refused (`INVALID_STRING`). */
function utf8(text: string): Uint8Array {
  const length = utf8ByteLength(text);
  const bytes = new Uint8Array(length);
  writeUtf8(text, bytes, 0, length);
  return bytes;
}

/** Encodes a value for a hub frame: its type and bytes (a typed array's bytes are copied). */
function valueBytes(value: unknown): [HubValueType, Uint8Array] {
  if (typeof value === 'string') return [HubValueType.String, utf8(value)];
  if (value === undefined) return [HubValueType.Undefined, new Uint8Array(0)];
  if (value instanceof Float32Array) return [HubValueType.Float32, copyBytes(value)];
  if (value instanceof Int16Array) return [HubValueType.Int16, copyBytes(value)];
  if (value instanceof Int32Array) return [HubValueType.Int32, copyBytes(value)];
  if (value instanceof Float64Array) return [HubValueType.Float64, copyBytes(value)];
  if (value instanceof Uint8Array) return [HubValueType.Bytes, copyBytes(value)];
  return [HubValueType.Json, utf8(JSON.stringify(value))];
}

function copyBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/**
 * One binary hub frame: `[op u8][flags u8][value type u8][header length u16 LE][header JSON][value bytes]`.
 * @throws {ProtocolError} `ID_TOO_LONG` when the header does not fit its length field
 */
export function encodeHubData(op: HubOp, flags: number, header: HubDataHeader, value: unknown): Uint8Array {
  const head = utf8(JSON.stringify(header));
  if (head.byteLength > MAX_HUB_HEADER) throw new ProtocolError('ID_TOO_LONG', `hub frame header of ${head.byteLength} bytes is over ${MAX_HUB_HEADER}`);
  const [type, body] = valueBytes(value);
  const frame = new Uint8Array(HUB_FIXED_HEADER + head.byteLength + body.byteLength);
  frame[0] = op;
  frame[1] = flags;
  frame[2] = type;
  frame[3] = head.byteLength & 0xff;
  frame[4] = head.byteLength >>> 8;
  frame.set(head, HUB_FIXED_HEADER);
  frame.set(body, HUB_FIXED_HEADER + head.byteLength);
  return frame;
}

/** True for a frame whose value is a typed array or bytes: stream data, which may be dropped under backpressure. */
export function isStreamFrame(frame: Uint8Array): boolean {
  const type = frame[2];
  return type !== undefined && type >= HubValueType.Float32 && type <= HubValueType.Bytes;
}

/** Reads only the JSON header of a binary hub frame (what the hub needs to forward it). */
export function readHubHeader(frame: Uint8Array): HubDataHeader {
  if (frame.byteLength < HUB_FIXED_HEADER) throw new ProtocolError('TRUNCATED_HEADER', `hub frame of ${frame.byteLength} bytes`);
  const length = frame[3]! | (frame[4]! << 8);
  if (HUB_FIXED_HEADER + length > frame.byteLength) throw new ProtocolError('SIZE_PAST_END', 'hub frame header runs past its end');
  let header: unknown;
  try {
    header = JSON.parse(readUtf8(frame.subarray(HUB_FIXED_HEADER, HUB_FIXED_HEADER + length), 'hub frame header'));
  } catch {
    throw new ProtocolError('INVALID_JSON', 'hub frame header is not JSON');
  }
  if (!isHeader(header)) throw new ProtocolError('INVALID_JSON', 'hub frame header lacks its origin or sequence number, or a field of it has the wrong type');
  return header;
}

/**
 * Decodes a binary hub frame; typed values come back in fresh, aligned arrays. `header`: what
 * {@link readHubHeader} already read from this frame (the hub reads it to forward the frame).
 * @throws {ProtocolError} `TRUNCATED_HEADER`, `SIZE_PAST_END`, `INVALID_JSON`, `UNKNOWN_TYPE`, `ELEMENT_SIZE_MISMATCH`, `INVALID_UTF8`
 */
export function decodeHubData(frame: Uint8Array, header: HubDataHeader = readHubHeader(frame)): HubData {
  const op = frame[0]!;
  if (op !== HubOp.Send && op !== HubOp.PageMessage && op !== HubOp.State) throw new ProtocolError('UNKNOWN_TYPE', `hub op 0x${op.toString(16)}`);
  const start = HUB_FIXED_HEADER + (frame[3]! | (frame[4]! << 8));
  return { op, flags: frame[1]!, header, value: readValue(frame[2]!, frame.subarray(start)) };
}

function readValue(type: number, body: Uint8Array): unknown {
  switch (type) {
    case HubValueType.String:
      return text(body);
    case HubValueType.Json:
      try {
        return JSON.parse(text(body));
      } catch (error) {
        if (error instanceof ProtocolError) throw error;
        throw new ProtocolError('INVALID_JSON', 'hub frame value is not JSON');
      }
    case HubValueType.Float32:
      return new Float32Array(aligned(body, 4));
    case HubValueType.Int16:
      return new Int16Array(aligned(body, 2));
    case HubValueType.Int32:
      return new Int32Array(aligned(body, 4));
    case HubValueType.Float64:
      return new Float64Array(aligned(body, 8));
    case HubValueType.Bytes:
      return new Uint8Array(body); // a copy (a Node Buffer's slice would share its pool)
    case HubValueType.Undefined:
      return undefined;
    default:
      throw new ProtocolError('UNKNOWN_TYPE', `hub value type ${type}`);
  }
}

function text(body: Uint8Array): string {
  return readUtf8(body, 'hub frame text');
}

function aligned(body: Uint8Array, size: number): ArrayBuffer {
  if (body.byteLength % size !== 0) throw new ProtocolError('ELEMENT_SIZE_MISMATCH', `${body.byteLength} bytes are not whole ${size}-byte elements`);
  return new Uint8Array(body).buffer; // a copy: a Node Buffer's slice() would share its whole pool
}

/** An instance id: 16 lowercase hex digits. */
export const INSTANCE_ID = /^[0-9a-f]{16}$/;
/** Largest sequence number or page id a hub frame may carry (integers a double holds exactly). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_COUNT;
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isFiniteOrAbsent = (value: unknown): boolean => value === undefined || (typeof value === 'number' && Number.isFinite(value));
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every field of a data frame's header, by type: `o` a non-empty string, `s` ≥ 1, `id` a string, `p` a page, `m` stream meta. */
function isHeader(value: unknown): value is HubDataHeader {
  if (!isPlainObject(value)) return false;
  const { o, s, id, p, m } = value;
  if (typeof o !== 'string' || o === '' || !isCount(s, 1) || !isOptionalString(id)) return false;
  if (p !== undefined && !isRelayedPage(p)) return false;
  if (m !== undefined && !(isPlainObject(m) && isFiniteOrAbsent(m.time) && isFiniteOrAbsent(m.samplePosition))) return false;
  return true;
}

function isRelayedPage(value: unknown): value is RelayedPage {
  if (!isPlainObject(value)) return false;
  const { instance, id, tab, origin, path, extended } = value;
  return typeof instance === 'string' && instance !== '' && isCount(id, 0) && isOptionalString(tab) && isOptionalString(origin) && typeof path === 'string' && typeof extended === 'boolean';
}

function isMemberList(value: unknown): value is HubMember[] {
  return Array.isArray(value) && value.every((member) => isPlainObject(member) && typeof member.id === 'string' && INSTANCE_ID.test(member.id) && isCount(member.order, 0));
}

/** An instance as the hub lists it. */
export interface HubMember {
  id: string;
  /** Join order: the hub is 0, members count up from 1 in the order they joined. Failover takes the lowest. */
  order: number;
}

/** Control messages (JSON text frames) of the hub protocol. */
export type HubControl =
  /** Hub → joining instance: its nonce and its proof of the secret (bound to the hub's port and both nonces). */
  | { t: 'challenge'; nonce: string; proof: string }
  /** Joining instance → hub: its proof (bound to the hub's port, both nonces, `id` and `port`), id, and the private port its pages' sockets are piped to. */
  | { t: 'hello'; proof: string; id: string; port: number }
  /** Hub → instance: accepted; who is there. */
  | { t: 'welcome'; hub: string; members: HubMember[] }
  /** Hub → every instance: the instances changed. */
  | { t: 'members'; hub: string; members: HubMember[] }
  /** Hub → instance: every data frame of that instance up to `s` has reached the hub and was forwarded. */
  | { t: 'ack'; s: number }
  /** Instance → instance (through the hub): `to` is an instance id or `'*'` for all others. */
  | { t: 'msg'; from: string; to: string; id: string; data: unknown }
  /** A page of `instance` went away: other instances forget their view of it. */
  | { t: 'page-gone'; instance: string; page: number }
  /** Hub → every instance: the hub is closing; elect a successor now. */
  | { t: 'bye' };

/**
 * Parses a control message, checking every field of its kind by type (PROTOCOL.md §8); undefined
 * when it is not JSON, not a known kind, or a field is missing or of the wrong type.
 */
export function parseHubControl(text: string): HubControl | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isHubControl(value) ? value : undefined;
}

const HEX_32 = /^[0-9a-f]{32}$/;
const HEX_64 = /^[0-9a-f]{64}$/;

function isHubControl(value: unknown): value is HubControl {
  if (!isPlainObject(value)) return false;
  const message = value;
  switch (message.t) {
    case 'challenge':
      return typeof message.nonce === 'string' && HEX_32.test(message.nonce) && typeof message.proof === 'string' && HEX_64.test(message.proof);
    case 'hello':
      return typeof message.proof === 'string' && HEX_64.test(message.proof) && typeof message.id === 'string' && INSTANCE_ID.test(message.id) && isCount(message.port, 1) && message.port <= 65535;
    case 'welcome':
    case 'members':
      return typeof message.hub === 'string' && INSTANCE_ID.test(message.hub) && isMemberList(message.members);
    case 'ack':
      return isCount(message.s, 1);
    case 'msg':
      return typeof message.from === 'string' && INSTANCE_ID.test(message.from) && typeof message.to === 'string' && (message.to === '*' || INSTANCE_ID.test(message.to)) && typeof message.id === 'string' && message.id !== '' && 'data' in message;
    case 'page-gone':
      return typeof message.instance === 'string' && INSTANCE_ID.test(message.instance) && isCount(message.page, 0);
    case 'bye':
      return true;
    default:
      return false;
  }
}
