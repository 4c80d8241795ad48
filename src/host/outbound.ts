import { encodeFloat32, encodeString, ProtocolError } from '../protocol/index.js';
import { hostCodeForEncodeError, WebViewError } from './errors.js';

/** Whether a frame carries stream data (may be coalesced under backpressure) or a control message (never dropped). */
export type FrameKind = 'stream' | 'control';

/** One encoded host → page message, shared by every page it goes to. */
export interface OutboundFrame {
  readonly id: string;
  readonly kind: FrameKind;
  readonly bytes: Uint8Array;
}

/** What `sendToWebsocket` accepts: HISE's String and Buffer, and objects or arrays as JSON. */
export type SendableData = string | Float32Array | readonly unknown[] | Record<string, unknown>;

/**
 * Encodes `data` for `id` the way HISE does: string → type 1, `Float32Array` → type 2 (copied now),
 * plain object or array → JSON text, type 1.
 * @throws {WebViewError} `INVALID_ID`, `UNSUPPORTED_DATA`, `UNSERIALIZABLE_DATA`
 */
export function encodeOutbound(id: unknown, data: unknown): OutboundFrame {
  if (typeof id !== 'string') throw new WebViewError('INVALID_ID', `id must be a string, got ${describe(id)}`);
  try {
    if (typeof data === 'string') return { id, kind: 'control', bytes: encodeString(id, data) };
    if (data instanceof Float32Array) return { id, kind: 'stream', bytes: encodeFloat32(id, data) };
    if (isJsonContainer(data)) return { id, kind: 'control', bytes: encodeString(id, toJson(data)) };
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new WebViewError(hostCodeForEncodeError(error.code), error.message, { cause: error });
    }
    throw error;
  }
  throw new WebViewError(
    'UNSUPPORTED_DATA',
    `cannot send ${describe(data)}: use a string, a Float32Array, a plain object or an array`,
  );
}

function isJsonContainer(data: unknown): data is object {
  if (Array.isArray(data)) return true;
  if (typeof data !== 'object' || data === null) return false;
  const proto = Object.getPrototypeOf(data) as unknown;
  return proto === Object.prototype || proto === null;
}

function toJson(data: object): string {
  try {
    return JSON.stringify(data);
  } catch (error) {
    throw new WebViewError('UNSERIALIZABLE_DATA', `cannot serialise to JSON: ${(error as Error).message}`, { cause: error });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
