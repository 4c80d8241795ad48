import { CodedError } from './coded-error.js';
import { ProtocolError } from './errors.js';
import { encodeFrame, toJson, type Frame } from './frame.js';
import { FrameType } from './extension.js';
import { readUtf8 } from './utf8.js';

/** Stable codes of a call that did not return a value. */
export type CallErrorCode =
  /** No result within the timeout. */
  | 'CALL_TIMEOUT'
  /** The connection dropped (or was never open) before the result arrived. */
  | 'DISCONNECTED'
  /** The other side has no function of that name (own names only: `__proto__`, `toString` … are unknown). */
  | 'UNKNOWN_FUNCTION'
  /** Too many calls are waiting for results. */
  | 'TOO_MANY_CALLS'
  /** The other side cannot take calls (HISE's own server, a legacy page). */
  | 'NOT_SUPPORTED'
  /** The arguments or the result cannot travel as JSON. */
  | 'UNSERIALIZABLE'
  /** More arguments than the answering side's `maxCallArguments`; the function did not run. */
  | 'TOO_MANY_ARGUMENTS'
  /** The function threw an error that had no string `code` of its own. */
  | 'REMOTE_ERROR'
  | (string & {});

/** What crosses the wire for a failed call. */
export interface SerializedError {
  name: string;
  message: string;
  code: string;
}

/** A call that failed: rebuilt from the remote error's `{name, message, code}`, or made locally. */
export class CallError extends CodedError<CallErrorCode> {
  constructor(code: CallErrorCode, message: string, name = 'CallError') {
    super(code, message);
    this.name = name;
  }
}

/** The shape in which any thrown value crosses the wire. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : 'REMOTE_ERROR' };
  }
  return { name: 'Error', message: String(error), code: 'REMOTE_ERROR' };
}

/** A call frame: id = function name, data = `{"c": callId, "a": args}`. */
export function encodeCall(callId: number, name: string, args: readonly unknown[]): Uint8Array {
  return encodeFrame(FrameType.Call, name, toJson({ c: callId, a: args }), { align: true });
}

/** A result frame; an `undefined` value is left out and arrives as `undefined`. */
export function encodeResult(callId: number, value: unknown): Uint8Array {
  // toJson(value) on its own, so a function or symbol result is refused instead of silently left out.
  const data = value === undefined ? `{"c":${callId}}` : `{"c":${callId},"v":${toJson(value)}}`;
  return encodeFrame(FrameType.Result, '', data, { align: true });
}

/** An error frame. */
export function encodeCallError(callId: number, error: unknown): Uint8Array {
  return encodeFrame(FrameType.Error, '', toJson({ c: callId, e: serializeError(error) }), { align: true });
}

export interface IncomingCall {
  callId: number;
  name: string;
  args: unknown[];
}

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readCall(frame: Frame): IncomingCall {
  const body = readControlJson(frame);
  if (!Array.isArray(body.a)) throw invalid('a call needs an argument array "a"');
  return { callId: body.c, name: frame.id, args: body.a };
}

export type Reply = { callId: number; ok: true; value: unknown } | { callId: number; ok: false; error: CallError };

/** @throws {ProtocolError} `INVALID_CONTROL_FRAME` */
export function readReply(frame: Frame): Reply {
  const body = readControlJson(frame);
  if (frame.type === FrameType.Result) return { callId: body.c, ok: true, value: body.v };
  const e = body.e as Partial<SerializedError> | undefined;
  if (typeof e !== 'object' || e === null || typeof e.message !== 'string') throw invalid('an error frame needs "e.message"');
  const error = new CallError(typeof e.code === 'string' ? e.code : 'REMOTE_ERROR', e.message, typeof e.name === 'string' ? e.name : 'Error');
  return { callId: body.c, ok: false, error };
}

function readControlJson(frame: Frame): { c: number; a?: unknown; v?: unknown; e?: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(readUtf8(frame.bytes, 'call data'));
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw invalid('call data is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('call data must be an object');
  const c = (body as { c?: unknown }).c;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffffff) throw invalid('call id "c" must be a uint32');
  return body as { c: number };
}

function invalid(message: string): ProtocolError {
  return new ProtocolError('INVALID_CONTROL_FRAME', message);
}

/** Options of {@link PendingCalls}. */
export interface PendingCallsOptions {
  /** Milliseconds before a call rejects with `CALL_TIMEOUT`. */
  timeout: number;
  /** Calls that may wait for results at once; more reject with `TOO_MANY_CALLS`. */
  max: number;
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: CallError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The calls one side has made and not yet had answered: ids, timeouts, and rejecting them all. */
export class PendingCalls {
  readonly #waiting = new Map<number, Waiting>();
  readonly #options: PendingCallsOptions;
  #nextId = 1;

  constructor(options: PendingCallsOptions) {
    this.#options = options;
  }

  /**
   * Encodes a call and registers it: its id, the frame for the caller to send, and the promise of
   * its result. Nothing is registered when the call cannot be made.
   * @throws {CallError} `TOO_MANY_CALLS`, `UNSERIALIZABLE` (arguments JSON cannot carry, or a name the frame cannot)
   */
  start(name: string, args: readonly unknown[]): { callId: number; frame: Uint8Array; result: Promise<unknown> } {
    if (this.#waiting.size >= this.#options.max) {
      throw new CallError('TOO_MANY_CALLS', `${this.#options.max} calls are already waiting; '${name}' was not sent`);
    }
    const callId = this.#nextId;
    let frame: Uint8Array;
    try {
      frame = encodeCall(callId, name, args);
    } catch (error) {
      throw new CallError('UNSERIALIZABLE', `'${name}' cannot be sent: ${(error as Error).message}`);
    }
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(callId);
        reject(new CallError('CALL_TIMEOUT', `'${name}' did not answer within ${this.#options.timeout} ms`));
      }, this.#options.timeout);
      this.#waiting.set(callId, { resolve, reject, timer });
    });
    return { callId, frame, result };
  }

  /** Settles the call a reply belongs to; false when no such call waits (late or unknown). */
  settle(reply: Reply): boolean {
    const waiting = this.#waiting.get(reply.callId);
    if (waiting === undefined) return false;
    this.#waiting.delete(reply.callId);
    clearTimeout(waiting.timer);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(reply.error);
    return true;
  }

  /** Rejects the call `callId` (e.g. its frame could not be sent). */
  fail(callId: number, error: CallError): void {
    this.settle({ callId, ok: false, error });
  }

  /** Rejects every waiting call, e.g. with `DISCONNECTED`. */
  rejectAll(code: CallErrorCode, message: string): void {
    for (const [callId, waiting] of this.#waiting) {
      this.#waiting.delete(callId);
      clearTimeout(waiting.timer);
      waiting.reject(new CallError(code, message));
    }
  }

  get size(): number {
    return this.#waiting.size;
  }
}

/** A function the other side may call. */
export type CallHandler = (...args: never[]) => unknown;

/** Arguments a call may carry unless the answering side says otherwise (they are spread into the function). */
export const DEFAULT_MAX_CALL_ARGUMENTS = 1000;

/**
 * Runs an incoming call against `handlers` (own names only, so `__proto__` or `constructor` are
 * unknown) and returns the reply frame: the result, or the error with its name, message and code.
 * More than `maxArguments` arguments are refused before the function runs (`TOO_MANY_ARGUMENTS`).
 */
export async function answerCall(
  handlers: ReadonlyMap<string, CallHandler>,
  call: IncomingCall,
  maxArguments: number = DEFAULT_MAX_CALL_ARGUMENTS,
): Promise<Uint8Array> {
  const handler = handlers.get(call.name);
  if (handler === undefined) {
    return encodeCallError(call.callId, new CallError('UNKNOWN_FUNCTION', `no function named '${call.name}'`));
  }
  if (call.args.length > maxArguments) {
    return encodeCallError(call.callId, new CallError('TOO_MANY_ARGUMENTS', `'${call.name}' takes at most ${maxArguments} arguments, got ${call.args.length}`));
  }
  let value: unknown;
  try {
    value = await (handler as (...args: unknown[]) => unknown)(...call.args);
  } catch (error) {
    return encodeCallError(call.callId, error);
  }
  try {
    return encodeResult(call.callId, value);
  } catch {
    return encodeCallError(call.callId, new CallError('UNSERIALIZABLE', `the result of '${call.name}' cannot be sent as JSON`));
  }
}
