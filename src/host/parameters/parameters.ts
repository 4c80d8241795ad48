import {
  checkParameterOp,
  checkSpec,
  checkValue,
  encodeParameterError,
  encodeParameterSpecs,
  encodeParameterValues,
  encodeString,
  FrameType,
  HiseParameterId,
  ParameterError,
  toJson,
  type ParameterErrorCode,
  type ParameterOp,
  type ParameterSpecInput,
  type ParameterState,
  type ParameterValue,
  type ParameterValueEntry,
  readParameterJson,
  type Frame,
} from '../../protocol/index.js';
import { isHiseParameterMessage } from '../../protocol/parameter-messages.js';
import { hiseErrorMessage, hiseSpecMessages, hiseValueMessage, type HiseTextMessage } from '../../protocol/hise-parameters.js';
import type { Capability, FrameTable } from '../capability.js';
import type { HostCore } from '../core.js';
import type { InboundOrder } from '../delivery/inbound-order.js';
import type { Connection } from '../pages/connection.js';
import { WebViewError } from '../errors.js';
import { OutboundMessage } from '../delivery/outbound.js';
import { now } from '../observer.js';
import { setOwn } from '../../protocol/own-key.js';
import { Parameter, type ParameterChange, type ParameterGesture, type ParameterOwner } from './parameter.js';
import { ParameterSync, type SyncHost } from './parameter-sync.js';

/** One page's open gesture. */
interface OpenGesture {
  parameter: Parameter;
  /** The page's number for it (absent from pages that do not number gestures). */
  g: number | undefined;
  from: ParameterValue;
  /** The connection it runs over now (a session's newer connection takes over). */
  connection: Connection;
}

/** Gestures a disconnect ended, per session: the page may resend their messages after it reconnects. */
const MAX_REMEMBERED_GESTURES = 1024;

/**
 * The host's parameters (PROTOCOL.md "Parameters"): declares them, tells every page their specs and values
 * (coalesced per page, see {@link ParameterSync}), and runs pages' gestures. A page is the actor of
 * a gesture by its session (modern client) or its connection (HISE's format); its own changes are
 * never echoed to it, and values from elsewhere wait while its gesture on that parameter is open.
 */
export class HostParameters implements ParameterOwner, Capability {
  /** The parameters by id, in declaration order. */
  readonly byId = new Map<string, Parameter>();
  readonly #core: HostCore;
  readonly #order: InboundOrder;
  readonly #syncs = new Map<Connection, ParameterSync>();
  readonly #gestures = new Map<string | Connection, OpenGesture>();
  /** Gestures a disconnect ended: `session → "id\0g"`, so their resent `set`/`end` resume or close them quietly. */
  readonly #ended = new Map<string, string>();
  readonly #syncHost: SyncHost;

  readonly frames: FrameTable = { [FrameType.ParameterOp]: (connection, frame) => this.#receiveFrame(connection, frame) };

  constructor(core: HostCore, order: InboundOrder) {
    this.#core = core;
    this.#order = order;
    this.#syncHost = {
      interval: core.options.parameterInterval,
      highWaterMark: core.options.parameterHighWaterMark,
      held: (connection, id) => this.#gestures.get(actorOf(connection))?.parameter.id === id,
      send: (connection, ids) => this.#sendValues(connection, ids),
    };
  }

  /**
   * Declares a parameter and tells connected pages about it. Declaring an id again (a host module
   * that restarts) returns the same parameter with the new spec, its value kept where the spec allows.
   * @throws {WebViewError} `INVALID_PARAMETER_SPEC`, `INVALID_ID`
   */
  declare(id: string, input: ParameterSpecInput): Parameter {
    if (typeof id !== 'string' || id === '' || id.includes('\0') || id.length > 256) {
      throw new WebViewError('INVALID_ID', `a parameter id must be a non-empty string of at most 256 characters without NUL, got ${String(id)}`);
    }
    let spec;
    try {
      spec = checkSpec(id, input);
    } catch (error) {
      if (error instanceof ParameterError) throw new WebViewError('INVALID_PARAMETER_SPEC', error.message);
      throw error;
    }
    const format = (input as { format?: (value: never) => string }).format as ((value: ParameterValue) => string) | undefined;
    const existing = this.byId.get(id);
    if (existing !== undefined) {
      const changed = JSON.stringify(existing.spec) !== JSON.stringify(spec);
      existing.redefine(spec, format);
      if (changed) for (const sync of this.#syncs.values()) if (sync.synced) this.#sendSpecs(sync.connection, [existing]);
      return this.#owned(existing);
    }
    const parameter = new Parameter(id, spec, format, this);
    this.byId.set(id, parameter);
    this.#core.emit('parameter', parameter);
    for (const sync of this.#syncs.values()) if (sync.synced) this.#sendSpecs(sync.connection, [parameter]);
    return this.#owned(parameter);
  }

  /** A parameter outlives a restart of the module that declared it (its next run gets it back, value kept); the listeners this run added go. */
  #owned(parameter: Parameter): Parameter {
    this.#core.registrations.own(() => parameter.removeAllListeners());
    return parameter;
  }

  /** A connection that takes data opened: a modern page gets every parameter at once. */
  attach(connection: Connection): void {
    if (connection.bridged) return;
    const sync = new ParameterSync(connection, this.#syncHost, connection.extended);
    this.#syncs.set(connection, sync);
    const gesture = this.#gestures.get(actorOf(connection));
    if (gesture !== undefined) gesture.connection = connection;
    if (connection.extended && this.byId.size > 0) this.#sendSpecs(connection, [...this.byId.values()]);
  }

  /** A connection closed: its page's open gesture ends with reason `'disconnect'`. */
  detach(connection: Connection): void {
    if (connection.bridged) return;
    this.#syncs.get(connection)?.close();
    this.#syncs.delete(connection);
    const actor = actorOf(connection);
    const gesture = this.#gestures.get(actor);
    if (gesture === undefined || gesture.connection !== connection) return;
    this.#gestures.delete(actor);
    if (typeof actor === 'string') this.#rememberEnded(actor, gesture);
    const { parameter, from } = gesture;
    parameter.gesture({ phase: 'end', page: connection.page, from, to: parameter.value, reason: 'disconnect' });
  }

  /** The open gestures now: for tools that show them (an inspector). */
  get gestures(): readonly { parameter: string; page: Connection['page']; from: ParameterValue }[] {
    return [...this.#gestures.values()].map(({ parameter, connection, from }) => ({ parameter: parameter.id, page: connection.page, from }));
  }

  /** A page's operation (already read from its frame or text); bad input is answered with a coded error and changes nothing. */
  receive(connection: Connection, id: string, data: unknown): void {
    try {
      const op = checkParameterOp(id, data);
      if (op.op === 'sync') {
        this.#sync(connection);
        return;
      }
      const parameter = this.byId.get(id);
      if (parameter === undefined) throw new ParameterError('UNKNOWN_PARAMETER', `no parameter '${id}' is declared`, id);
      if (op.op === 'begin') this.#begin(connection, parameter, op);
      else if (op.op === 'end') this.#end(connection, parameter, op);
      else this.#set(connection, parameter, op);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      this.#refuse(connection, id, error.code, error.message, data);
    }
  }

  /** A HISE-format page's parameter message (PROTOCOL.md §9). */
  hiseMessage(connection: Connection, message: unknown): boolean {
    if (!this.#core.options.hiseParameters || !isHiseParameterMessage(message)) return false;
    this.receive(connection, typeof message.id === 'string' ? message.id : '', message);
    return true;
  }

  /** A modern page's parameter operation (frame 0x22), delivered once like a data message. */
  #receiveFrame(connection: Connection, frame: Frame): void {
    const verdict = this.#order.judge(connection, frame);
    if (verdict === 'refused') return;
    const op = readParameterJson(frame);
    if (verdict === 'new') this.receive(connection, frame.id, op);
  }

  /** Stops every timer (the host is closing). */
  dispose(): void {
    for (const sync of this.#syncs.values()) sync.close();
    this.#syncs.clear();
  }

  // ---- ParameterOwner ----

  /** @internal */
  changed(parameter: Parameter, origin: unknown, change: ParameterChange): void {
    for (const [connection, sync] of this.#syncs) if (connection !== origin) sync.mark(parameter.id);
    const observers = this.#core.observers;
    if (observers.active) {
      const { source, page, inGesture } = change;
      observers.emit({ type: 'parameter', time: now(), id: parameter.id, value: parameter.value, text: parameter.text, source, page, inGesture });
    }
  }

  /** @internal */
  gestured(parameter: Parameter, gesture: ParameterGesture<ParameterValue>): void {
    const observers = this.#core.observers;
    if (observers.active) observers.emit({ type: 'gesture', time: now(), id: parameter.id, ...gesture });
  }

  /** @internal */
  failed(error: unknown): void {
    const message = String((error as Error)?.message ?? error);
    this.#core.report(new WebViewError('LISTENER_FAILED', `a parameter listener or format failed: ${message}`, { cause: error }), undefined);
  }

  // ---- gestures ----

  #begin(connection: Connection, parameter: Parameter, op: ParameterOp): void {
    const actor = actorOf(connection);
    const open = this.#gestures.get(actor);
    if (open !== undefined) {
      if (open.parameter === parameter) throw new ParameterError('GESTURE_NESTED', `the gesture on '${parameter.id}' is already open`, parameter.id);
      throw new ParameterError('GESTURE_INTERLEAVED', `'${parameter.id}' cannot begin while the gesture on '${open.parameter.id}' is open`, parameter.id);
    }
    this.#open(actor, connection, parameter, op.g);
  }

  #open(actor: string | Connection, connection: Connection, parameter: Parameter, g: number | undefined): void {
    const from = parameter.value;
    this.#gestures.set(actor, { parameter, g, from, connection });
    parameter.gesture({ phase: 'start', page: connection.page, from });
  }

  #set(connection: Connection, parameter: Parameter, op: ParameterOp): void {
    const actor = actorOf(connection);
    let open = this.#gestures.get(actor);
    if (op.g !== undefined && (open === undefined || open.parameter !== parameter || open.g !== op.g)) {
      if (!this.#resumable(actor, parameter, op.g)) {
        throw new ParameterError('GESTURE_NOT_STARTED', `a change of '${parameter.id}' in gesture ${op.g}, which this page has not begun`, parameter.id);
      }
      if (open !== undefined) throw new ParameterError('GESTURE_INTERLEAVED', `'${parameter.id}' changed in a gesture while the one on '${open.parameter.id}' is open`, parameter.id);
      // Its connection dropped mid-gesture (which ended it) and the page goes on after reconnecting.
      this.#ended.delete(actor as string);
      this.#open(actor, connection, parameter, op.g);
      open = this.#gestures.get(actor);
    }
    const value = checkValue(parameter.id, parameter.spec, op.v);
    const inGesture = open !== undefined && open.parameter === parameter;
    parameter.apply(value, { source: 'page', page: connection.page, inGesture }, connection);
  }

  #end(connection: Connection, parameter: Parameter, op: ParameterOp): void {
    const actor = actorOf(connection);
    const open = this.#gestures.get(actor);
    if (open === undefined || open.parameter !== parameter || open.g !== op.g) {
      if (op.g !== undefined && this.#resumable(actor, parameter, op.g)) {
        this.#ended.delete(actor as string); // a disconnect ended it already
        return;
      }
      throw new ParameterError('GESTURE_NOT_STARTED', `end of a gesture on '${parameter.id}' that this page has not begun`, parameter.id);
    }
    this.#gestures.delete(actor);
    parameter.gesture({ phase: 'end', page: connection.page, from: open.from, to: parameter.value, reason: 'end' });
    // The page gets the authoritative value now (values from elsewhere waited for this).
    this.#syncs.get(connection)?.mark(parameter.id);
  }

  #resumable(actor: string | Connection, parameter: Parameter, g: number): boolean {
    return typeof actor === 'string' && this.#ended.get(actor) === `${parameter.id}\0${g}`;
  }

  #rememberEnded(session: string, gesture: OpenGesture): void {
    if (gesture.g === undefined) return;
    this.#ended.delete(session);
    this.#ended.set(session, `${gesture.parameter.id}\0${gesture.g}`);
    if (this.#ended.size > MAX_REMEMBERED_GESTURES) this.#ended.delete(this.#ended.keys().next().value!);
  }

  // ---- messages to pages ----

  /** HISE mode: the page asked for everything (it cannot know when it is connected otherwise). */
  #sync(connection: Connection): void {
    const sync = this.#syncs.get(connection);
    if (sync === undefined) return;
    sync.synced = true;
    this.#sendSpecs(connection, [...this.byId.values()]);
  }

  #sendSpecs(connection: Connection, parameters: Parameter[]): void {
    if (!connection.extended) {
      for (const parameter of parameters) {
        this.#deliverHise(connection, hiseValueMessage(parameter.id, parameter.value, parameter.source, parameter.formats ? parameter.text : undefined));
        for (const part of hiseSpecMessages(parameter.id, parameter.spec)) this.#deliverHise(connection, part);
      }
      return;
    }
    const states: Record<string, ParameterState> = {};
    for (const parameter of parameters) {
      const state: ParameterState = { spec: parameter.spec, value: parameter.value, source: parameter.source };
      if (parameter.formats) state.text = parameter.text;
      setOwn(states, parameter.id, state); // an id `__proto__` too
    }
    const text = toJson(states);
    connection.deliver(parameterMessage(HiseParameterId.Specs, text, () => encodeParameterSpecs(states)));
  }

  /**
   * A HISE-mode message to a page of HISE's format. In HISE-strict mode it goes as HISE's script would
   * send it, `sendToWebSocket(id, object)`: through HISE's send cycle (the latest per id, to every page),
   * its length checked against what HISE frames correctly.
   */
  #deliverHise(connection: Connection, message: HiseTextMessage): void {
    const strict = this.#core.hise;
    if (strict === undefined) connection.deliver(hiseText(message));
    else strict.send(message.id, JSON.parse(message.text) as object, 'sendToWebSocket');
  }

  #sendValues(connection: Connection, ids: string[]): void {
    if (!connection.extended) {
      for (const parameter of ids.map((id) => this.byId.get(id))) {
        if (parameter !== undefined) this.#deliverHise(connection, hiseValueMessage(parameter.id, parameter.value, parameter.source, parameter.formats ? parameter.text : undefined));
      }
      return;
    }
    const values: Record<string, ParameterValueEntry> = {};
    for (const id of ids) {
      const parameter = this.byId.get(id);
      if (parameter === undefined) continue;
      setOwn(values, id, parameter.formats ? [parameter.value, parameter.source, parameter.text] : [parameter.value, parameter.source]);
    }
    connection.deliver(parameterMessage(HiseParameterId.Values, toJson(values), () => encodeParameterValues(values)));
  }

  #refuse(connection: Connection, id: string, code: ParameterErrorCode, message: string, data: unknown): void {
    const raw = typeof data === 'object' && data !== null ? (data as { op?: unknown }).op : undefined;
    const op = typeof raw === 'string' ? raw.slice(0, 40) : undefined; // a page's value: never its own toString
    const body = { code, message, ...(op === undefined ? {} : { op }) };
    connection.deliver(connection.extended ? parameterMessage(HiseParameterId.Error, toJson({ id, ...body }), () => encodeParameterError(id, body)) : hiseText(hiseErrorMessage(id, body)));
    this.#core.report(new WebViewError(code, message, { data }), connection);
  }
}

/** Who a gesture belongs to: a modern client's session (stable across its reconnects), else the connection. */
function actorOf(connection: Connection): string | Connection {
  return connection.session ?? connection;
}

/** A parameter message as each kind of page reads it: a 0x20–0x23 frame, or HISE's string message with a reserved id. */
function parameterMessage(hiseId: string, text: string, extended: () => Uint8Array): OutboundMessage {
  return new OutboundMessage(hiseId, 'control', () => encodeString(hiseId, text), extended);
}

/** A HISE-mode parameter message (one id per parameter, PROTOCOL.md §9 "HISE mode"), to a page that speaks HISE's format. */
function hiseText(message: HiseTextMessage): OutboundMessage {
  return new OutboundMessage(message.id, 'control', () => encodeString(message.id, message.text), () => encodeString(message.id, message.text));
}
