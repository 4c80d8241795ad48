import {
  checkValue,
  coerceValue,
  defaultText,
  fromNormalized,
  ParameterError,
  toNormalized,
  type ParameterErrorCode,
  type ParameterSpec,
  type ParameterValue,
} from '../../protocol/parameter-spec.js';
import type { ParameterOp, ParameterSource, ParameterState, ParameterValueEntry } from '../../protocol/parameter-messages.js';
import { reportError } from '../report-error.js';

/** What a `subscribe` listener learns beside the value. */
export interface ParameterMeta {
  /** Who changed it: the host (its `set`, a state) or another page. `'local'` only for {@link ClientParameter.watch}: this page's own change. */
  source: ParameterSource | 'local';
  /** True for the values a page gets when it (re)connects. */
  initial: boolean;
}

/** How the parameters send a page's operations (through the client's acknowledged queue). */
export interface ParameterTransport {
  send(id: string, op: ParameterOp): void;
}

type Listener<T> = (value: T, meta: ParameterMeta) => void;

/**
 * A host parameter as a page sees it (`client.parameter(id)`): its spec and value once the host
 * has sent them, changes from elsewhere, and gestures: `begin()`, `set(v)`…, `end()`.
 */
export class ClientParameter<T extends ParameterValue = ParameterValue> {
  readonly id: string;
  /** Resolves when the host has sent the spec and value. */
  readonly ready: Promise<void>;
  #spec: ParameterSpec | undefined;
  #value: T | undefined;
  /** The host's text for the value it sent last (when its spec has a `format`). */
  #hostText: [T, string] | undefined;
  #resolveReady!: () => void;
  readonly #subscribers = new Set<Listener<T>>();
  readonly #watchers = new Set<Listener<T>>();
  readonly #errorListeners = new Set<(error: ParameterError) => void>();
  readonly #owner: ClientParameters;

  /** @internal Made by `client.parameter(id)`. */
  constructor(id: string, owner: ClientParameters) {
    this.id = id;
    this.#owner = owner;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  /** The spec (min, max, step, unit, label, choices, skew, default); undefined until the host sent it. */
  get spec(): ParameterSpec | undefined {
    return this.#spec;
  }

  /** The value; undefined until the host sent it. */
  get value(): T | undefined {
    return this.#value;
  }

  /** The value's 0–1 position (0 until known). */
  get normalized(): number {
    return this.#spec === undefined || this.#value === undefined ? 0 : toNormalized(this.#spec, this.#value);
  }

  /** The value as text: the host's `format` when it has one, else the default (step's decimals and unit, the choice, on/off). */
  get text(): string {
    if (this.#spec === undefined || this.#value === undefined) return '';
    if (this.#hostText !== undefined && Object.is(this.#hostText[0], this.#value)) return this.#hostText[1];
    return defaultText(this.#spec, this.#value);
  }

  /** True while this page's gesture on it is open. */
  get inGesture(): boolean {
    return this.#owner.gestureOf() === this.id;
  }

  /** Listens to every change from elsewhere (the host, other pages), and the value on (re)connect. Returns a function that removes it. */
  subscribe(listener: Listener<T>): () => void {
    this.#subscribers.add(listener);
    return () => this.#subscribers.delete(listener);
  }

  /** Like {@link subscribe}, and this page's own changes too (`source: 'local'`): what a control draws from. */
  watch(listener: Listener<T>): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  /** Listens to the host's coded refusals of this page's operations on this parameter. */
  onError(listener: (error: ParameterError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Opens a gesture (a drag): the host records one undo step from here to `end()`, and values from
   * elsewhere wait until then.
   * @throws {ParameterError} `GESTURE_NESTED`, `GESTURE_INTERLEAVED`
   */
  begin(): void {
    this.#owner.begin(this.id);
  }

  /**
   * Changes the value from this page (quantised to the step); never echoed back to it.
   * @throws {ParameterError} `INVALID_PARAMETER_VALUE`, `PARAMETER_OUT_OF_RANGE` (once the spec is known)
   */
  set(value: T): void {
    const checked = this.#spec === undefined ? value : (checkValue(this.id, this.#spec, value) as T);
    if (this.#spec !== undefined && Object.is(checked, this.#value)) return;
    this.#value = checked;
    this.#owner.change(this.id, checked);
    this.#notify(this.#watchers, checked, { source: 'local', initial: false });
  }

  /**
   * Changes the value to a 0–1 position (clamped).
   * @throws {ParameterError} `UNKNOWN_PARAMETER` before the spec is known; `INVALID_PARAMETER_VALUE` for NaN
   */
  setNormalized(normalized: number): void {
    if (this.#spec === undefined) throw new ParameterError('UNKNOWN_PARAMETER', `parameter '${this.id}': its spec has not arrived yet`, this.id);
    if (typeof normalized !== 'number' || Number.isNaN(normalized)) {
      throw new ParameterError('INVALID_PARAMETER_VALUE', `parameter '${this.id}': a normalized value must be a number`, this.id);
    }
    this.set(fromNormalized(this.#spec, normalized) as T);
  }

  /**
   * Closes the gesture; the host then sends this page the authoritative value.
   * @throws {ParameterError} `GESTURE_NOT_STARTED`
   */
  end(): void {
    this.#owner.end(this.id);
  }

  /** A value clamped and quantised to this parameter's spec (as it is before the spec arrives otherwise). */
  coerce(value: T): T {
    return this.#spec === undefined ? value : (coerceValue(this.id, this.#spec, value) as T);
  }

  /** @internal The host sent the spec and value. */
  learn(state: ParameterState): void {
    this.#spec = state.spec;
    this.#resolveReady();
    this.receive([state.value, state.source, state.text], true);
  }

  /** @internal A value from elsewhere. */
  receive([value, source, text]: ParameterValueEntry, initial: boolean): void {
    if (this.#spec === undefined) return;
    if (typeof text === 'string' && text !== '') this.#hostText = [value as T, text];
    this.#value = value as T;
    const meta = { source, initial };
    this.#notify(this.#subscribers, value as T, meta);
    this.#notify(this.#watchers, value as T, meta);
  }

  /** @internal The host refused an operation. */
  fail(error: ParameterError): boolean {
    for (const listener of this.#errorListeners) call(() => listener(error));
    return this.#errorListeners.size > 0;
  }

  #notify(listeners: Set<Listener<T>>, value: T, meta: ParameterMeta): void {
    for (const listener of listeners) call(() => listener(value, meta));
  }
}

/**
 * The parameters of one client: a {@link ClientParameter} per id, the page's one open gesture, and
 * the host's messages (specs, values, errors) routed to them.
 */
export class ClientParameters {
  readonly #byId = new Map<string, ClientParameter>();
  readonly #transport: ParameterTransport;
  readonly #errorListeners = new Set<(error: ParameterError) => void>();
  /** The page's open gesture: parameter id and its number. */
  #gesture: { id: string; g: number } | undefined;
  #nextGesture = 1;

  constructor(transport: ParameterTransport) {
    this.#transport = transport;
  }

  get(id: string): ClientParameter {
    let parameter = this.#byId.get(id);
    if (parameter === undefined) this.#byId.set(id, (parameter = new ClientParameter(id, this)));
    return parameter;
  }

  /** Ids the host has sent so far. */
  get ids(): string[] {
    return [...this.#byId.values()].filter((p) => p.spec !== undefined).map((p) => p.id);
  }

  /** Listens to every refusal from the host. */
  onError(listener: (error: ParameterError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  gestureOf(): string | undefined {
    return this.#gesture?.id;
  }

  begin(id: string): void {
    if (this.#gesture !== undefined) {
      if (this.#gesture.id === id) throw new ParameterError('GESTURE_NESTED', `the gesture on '${id}' is already open`, id);
      throw new ParameterError('GESTURE_INTERLEAVED', `'${id}' cannot begin while the gesture on '${this.#gesture.id}' is open`, id);
    }
    this.#gesture = { id, g: this.#nextGesture++ >>> 0 };
    this.#transport.send(id, { op: 'begin', g: this.#gesture.g });
  }

  change(id: string, value: ParameterValue): void {
    const g = this.#gesture?.id === id ? this.#gesture.g : undefined;
    this.#transport.send(id, g === undefined ? { op: 'set', v: value } : { op: 'set', v: value, g });
  }

  end(id: string): void {
    if (this.#gesture?.id !== id) throw new ParameterError('GESTURE_NOT_STARTED', `no gesture on '${id}' is open`, id);
    const { g } = this.#gesture;
    this.#gesture = undefined;
    this.#transport.send(id, { op: 'end', g });
  }

  /** Host → page: specs (on connect, and for parameters declared later). */
  receiveSpecs(data: unknown): void {
    if (!isRecord(data)) return;
    for (const [id, state] of Object.entries(data)) {
      if (isRecord(state) && isRecord(state.spec)) this.get(id).learn(state as unknown as ParameterState);
    }
  }

  /** Host → page: latest values. A value for the parameter of this page's open gesture waits out the gesture (HISE mode; our host never sends one). */
  receiveValues(data: unknown, self?: string): void {
    if (!isRecord(data)) return;
    for (const [id, entry] of Object.entries(data)) {
      if (!Array.isArray(entry) || this.#gesture?.id === id) continue;
      if (self !== undefined && entry[3] === self) continue; // HISE mode: HISE echoes to every page, marked with the sender
      this.#byId.get(id)?.receive(entry as ParameterValueEntry, false);
    }
  }

  /** Host → page: a refusal. Reported like an uncaught error when nobody listens. */
  receiveError(id: string, data: unknown): void {
    if (!isRecord(data) || typeof data.code !== 'string') return;
    const error = new ParameterError(data.code as ParameterErrorCode, String(data.message ?? data.code), id);
    let heard = this.#byId.get(id)?.fail(error) ?? false;
    for (const listener of this.#errorListeners) {
      call(() => listener(error));
      heard = true;
    }
    if (!heard) reportError(error);
  }
}

function call(run: () => void): void {
  try {
    run();
  } catch (error) {
    reportError(error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
