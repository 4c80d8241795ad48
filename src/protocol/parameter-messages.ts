/**
 * The parameter messages (PROTOCOL.md "Parameters"): extended frames 0x20–0x23, and the same JSON as a
 * convention over HISE's own channel (string messages with reserved ids one way, JSON text with
 * `"hwv": "param"` the other), for pages that speak HISE's format.
 */
import { ProtocolError } from './errors.js';
import { FrameType } from './extension.js';
import { encodeFrame, toJson, type Frame } from './frame.js';
import { describe, ParameterError, type ParameterErrorCode, type ParameterSpec, type ParameterValue } from './parameter-spec.js';
import { readUtf8 } from './utf8.js';

/** Who made a parameter's latest change. */
export type ParameterSource = 'host' | 'page';

/** What a page asks of the host: open a gesture, change the value, close it, or (HISE mode) send everything. */
export type ParameterOperation = 'begin' | 'set' | 'end' | 'sync';

/** One page → host parameter message. `g` numbers the page's gestures; `c` is the client's id (HISE mode). */
export interface ParameterOp {
  op: ParameterOperation;
  v?: ParameterValue;
  g?: number;
  c?: string;
}

/** A parameter as a page first learns it. */
export interface ParameterState {
  spec: ParameterSpec;
  value: ParameterValue;
  source: ParameterSource;
  text?: string;
}

/** One value entry: `[value, source, text?]`. */
export type ParameterValueEntry = [value: ParameterValue, source: ParameterSource, text?: string];

/** A coded answer to bad parameter input. */
export interface ParameterErrorMessage {
  code: ParameterErrorCode;
  message: string;
  op?: string;
}

/** Ids of the parameter messages in HISE's format (host → page string messages). */
export const HiseParameterId = {
  Specs: 'hwv:param-specs',
  Values: 'hwv:param-values',
  Error: 'hwv:param-error',
} as const;
/** The marker of a page → host parameter message in HISE's format: JSON text `{"hwv": "param", "id", "op", …}`. */
export const HISE_PARAMETER_MARKER = 'param';
/** The key that carries {@link HISE_PARAMETER_MARKER}. */
export const HISE_PARAMETER_KEY = 'hwv';

const OPERATIONS: ReadonlySet<string> = new Set(['begin', 'set', 'end', 'sync']);
/** Highest gesture number (uint32). */
export const MAX_GESTURE_NUMBER = 0xffffffff;

/** Host → page: specs and values of some parameters (all of them on connect). */
export function encodeParameterSpecs(states: Record<string, ParameterState>): Uint8Array {
  return encodeFrame(FrameType.ParameterSpecs, '', toJson(states), { align: true });
}

/** Host → page: the latest values of some parameters. */
export function encodeParameterValues(values: Record<string, ParameterValueEntry>): Uint8Array {
  return encodeFrame(FrameType.ParameterValues, '', toJson(values), { align: true });
}

/** Page → host: one operation on parameter `id`, numbered `seq` in the page's sequence. */
export function encodeParameterOp(id: string, op: ParameterOp, seq?: number): Uint8Array {
  return encodeFrame(FrameType.ParameterOp, id, toJson(op), { align: true, ...(seq === undefined ? {} : { seq }) });
}

/** Host → page: why an operation on `id` was refused. */
export function encodeParameterError(id: string, error: ParameterErrorMessage): Uint8Array {
  return encodeFrame(FrameType.ParameterError, id, toJson(error), { align: true });
}

/**
 * The JSON a parameter frame carries.
 * @throws {ProtocolError} `INVALID_UTF8`, `INVALID_JSON`
 */
export function readParameterJson(frame: Frame): unknown {
  const text = readUtf8(frame.bytes, 'parameter data');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProtocolError('INVALID_JSON', `parameter data does not parse: ${(error as Error).message}`);
  }
}

/**
 * Checks the shape of a page's operation (not its value: that needs the spec).
 * @throws {ParameterError} `INVALID_PARAMETER_MESSAGE`
 */
export function checkParameterOp(id: string, data: unknown): ParameterOp {
  const bad = (why: string): never => {
    throw new ParameterError('INVALID_PARAMETER_MESSAGE', `parameter message for '${id}': ${why}`, id);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('expected a JSON object');
  const { op, v, g, c } = data as Record<string, unknown>;
  if (typeof op !== 'string' || !OPERATIONS.has(op)) return bad(`op must be begin, set, end or sync, got ${describe(op)}`);
  if (g !== undefined && !(Number.isInteger(g) && (g as number) >= 0 && (g as number) <= MAX_GESTURE_NUMBER)) bad('g must be a whole number from 0 to 2^32-1');
  if (op === 'set' && !('v' in (data as object))) bad('set needs a value v');
  if (c !== undefined && typeof c !== 'string') bad('c must be a string');
  const checked: ParameterOp = { op: op as ParameterOperation };
  if (op === 'set') checked.v = v as ParameterValue;
  if (g !== undefined) checked.g = g as number;
  if (c !== undefined) checked.c = c as string;
  return checked;
}

/** True when a message a HISE-style page sent is a parameter message (`{"hwv": "param", …}`). */
export function isHiseParameterMessage(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[HISE_PARAMETER_KEY] === HISE_PARAMETER_MARKER;
}

/** A page's operation as JSON text in HISE's format. */
export function hiseParameterOpText(id: string, op: ParameterOp): string {
  return toJson({ [HISE_PARAMETER_KEY]: HISE_PARAMETER_MARKER, id, ...op });
}
