import { coerceValue, decodeFrame, FrameType, ParameterError, readPayload, type ParameterValue } from '../../protocol/index.js';
import { WebViewError } from '../errors.js';
import type { OutboundMessage } from '../delivery/outbound.js';
import { setOwn } from '../../protocol/own-key.js';
import type { Parameter } from './parameter.js';

/** The version of {@link WebViewState}'s shape. */
export const STATE_VERSION = 1;

/** A retained id's latest message as plain JSON: its payload type and value (typed arrays as arrays of numbers). */
export type RetainedValue =
  | { type: 'string'; value: string }
  | { type: 'json'; value: unknown }
  | { type: 'float32' | 'float64' | 'int16' | 'int32' | 'bytes'; value: number[] };

/** What `getState` gives and `setState` takes: plain JSON, for a plugin's saved state. */
export interface WebViewState {
  version: typeof STATE_VERSION;
  /** Every parameter's value, by id. */
  parameters: Record<string, ParameterValue>;
  /** The latest message of every retained id that has one. */
  retained: Record<string, RetainedValue>;
}

/** What `setState` did not apply: ids of parameters or retained ids this host does not have (a state from another version). */
export interface StateResult {
  ignored: string[];
}

const ARRAY_TYPES = {
  [FrameType.Float32]: ['float32', Float32Array],
  [FrameType.Float64]: ['float64', Float64Array],
  [FrameType.Int16]: ['int16', Int16Array],
  [FrameType.Int32]: ['int32', Int32Array],
  [FrameType.Bytes]: ['bytes', Uint8Array],
} as const;
const BY_NAME = new Map<string, (typeof ARRAY_TYPES)[keyof typeof ARRAY_TYPES][1]>(Object.values(ARRAY_TYPES).map(([name, Ctor]) => [name, Ctor]));

/** The host's state now. */
export function captureState(parameters: Iterable<Parameter>, retained: ReadonlyMap<string, OutboundMessage | undefined>): WebViewState {
  const state: WebViewState = { version: STATE_VERSION, parameters: {}, retained: {} };
  for (const parameter of parameters) setOwn(state.parameters, parameter.id, parameter.value); // an id `__proto__` too
  for (const [id, message] of retained) if (message !== undefined) setOwn(state.retained, id, retainedValue(message));
  return state;
}

/** A retained message's value, read back from its own frame (what was sent is not kept twice). */
function retainedValue(message: OutboundMessage): RetainedValue {
  const frame = decodeFrame(message.forPage(true)!.bytes);
  const value = readPayload(frame);
  if (frame.type === FrameType.String) return { type: 'string', value: value as string };
  if (frame.type === FrameType.Json) return { type: 'json', value };
  const [type] = ARRAY_TYPES[frame.type as keyof typeof ARRAY_TYPES];
  return { type, value: Array.from(value as ArrayLike<number>) };
}

/**
 * Checks a whole state against the host's parameters and retained ids, and returns what applying
 * it means; nothing is changed when any part is bad.
 * @throws {WebViewError} `INVALID_STATE`
 */
export function planState(
  state: unknown,
  parameters: ReadonlyMap<string, Parameter>,
  retainedIds: ReadonlySet<string>,
): { parameters: [Parameter, ParameterValue][]; retained: [string, unknown][]; ignored: string[] } {
  const bad = (why: string): never => {
    throw new WebViewError('INVALID_STATE', `setState: ${why}`, { data: state });
  };
  if (!isRecord(state)) return bad('the state must be an object');
  if (state.version !== STATE_VERSION) bad(`version must be ${STATE_VERSION}, got ${String(state.version)}`);
  const values = state.parameters ?? {};
  const retained = state.retained ?? {};
  if (!isRecord(values)) bad('parameters must be an object');
  if (!isRecord(retained)) bad('retained must be an object');
  const plan = { parameters: [] as [Parameter, ParameterValue][], retained: [] as [string, unknown][], ignored: [] as string[] };
  for (const [id, value] of Object.entries(values as Record<string, unknown>)) {
    const parameter = parameters.get(id);
    if (parameter === undefined) {
      plan.ignored.push(id);
      continue;
    }
    try {
      plan.parameters.push([parameter, coerceValue(id, parameter.spec, value)]);
    } catch (error) {
      if (error instanceof ParameterError) bad(error.message);
      throw error;
    }
  }
  for (const [id, entry] of Object.entries(retained as Record<string, unknown>)) {
    if (!retainedIds.has(id)) {
      plan.ignored.push(id);
      continue;
    }
    plan.retained.push([id, retainedData(id, entry, bad)]);
  }
  return plan;
}

function retainedData(id: string, entry: unknown, bad: (why: string) => never): unknown {
  if (!isRecord(entry) || typeof entry.type !== 'string') return bad(`retained '${id}' must be {type, value}`);
  const { type, value } = entry;
  if (type === 'string') return typeof value === 'string' ? value : bad(`retained '${id}' of type string holds ${typeof value}`);
  if (type === 'json') return value === undefined ? bad(`retained '${id}' has no value`) : value;
  const Ctor = BY_NAME.get(type);
  if (Ctor === undefined) return bad(`retained '${id}' has an unknown type '${type}'`);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) return bad(`retained '${id}' must hold an array of numbers`);
  return Ctor.from(value as number[]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Restores a state (`setState`): parameters (clamped to their ranges) and retained ids reach every
 * page; ids this host does not have are listed in `ignored`.
 * @throws {WebViewError} `INVALID_STATE` (nothing changed)
 */
export function restoreState(
  state: unknown,
  parameters: ReadonlyMap<string, Parameter>,
  retained: { readonly retained: ReadonlyMap<string, unknown>; send(id: string, data: unknown): unknown },
): StateResult {
  const plan = planState(state, parameters, new Set(retained.retained.keys()));
  for (const [parameter, value] of plan.parameters) parameter.apply(value, { source: 'host', page: undefined, inGesture: false }, undefined);
  for (const [id, data] of plan.retained) retained.send(id, data);
  return { ignored: plan.ignored };
}
