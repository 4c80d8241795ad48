import { EventEmitter } from 'node:events';
import {
  coerceValue,
  defaultText,
  fromNormalized,
  ParameterError,
  toNormalized,
  type ParameterSource,
  type ParameterSpec,
  type ParameterValue,
} from '../../protocol/index.js';
import { WebViewError } from '../errors.js';
import type { Page } from '../pages/page.js';

/** What a `change` listener learns beside the value. */
export interface ParameterChange {
  /** `'host'`: `set`, `setState`, `reset`; `'page'`: a page's `set`. */
  source: ParameterSource;
  /** The page that changed it (source `'page'`). */
  page: Page | undefined;
  /** True while that page's gesture on this parameter is open. */
  inGesture: boolean;
}

/** A page's gesture opened (`start`) or closed (`end`, with the value before and after it: one undo step). */
export type ParameterGesture<T> =
  | { phase: 'start'; page: Page; from: T }
  | { phase: 'end'; page: Page; from: T; to: T; reason: 'end' | 'disconnect' };

export interface ParameterEvents<T> {
  change: [value: T, change: ParameterChange];
  gesture: [gesture: ParameterGesture<T>];
}

/** @internal What a parameter needs from its host. */
export interface ParameterOwner {
  /** The parameter's value changed: tell every page but `except`'s connection (and the host's observers). */
  changed(parameter: Parameter, except: unknown, change: ParameterChange): void;
  /** A page's gesture opened or closed: for the host's observers. */
  gestured(parameter: Parameter, gesture: ParameterGesture<ParameterValue>): void;
  /** A listener threw: report it, never stop the host. */
  failed(error: unknown): void;
}

/**
 * One host parameter (see `WebView.parameter`): its spec, its value, and events for every change
 * and for pages' gestures. Emitting never throws: a failing listener is reported as `LISTENER_FAILED`.
 */
export class Parameter<T extends ParameterValue = ParameterValue> extends EventEmitter<ParameterEvents<T>> {
  readonly id: string;
  #spec: ParameterSpec;
  #value: T;
  #source: ParameterSource = 'host';
  #format: ((value: T) => string) | undefined;
  readonly #owner: ParameterOwner;

  /** @internal Created by `WebView.parameter`. */
  constructor(id: string, spec: ParameterSpec, format: ((value: T) => string) | undefined, owner: ParameterOwner) {
    super();
    this.id = id;
    this.#spec = spec;
    this.#value = spec.default as T;
    this.#format = format;
    this.#owner = owner;
  }

  /** The checked spec, as pages get it. */
  get spec(): ParameterSpec {
    return this.#spec;
  }

  get value(): T {
    return this.#value;
  }

  /** The value's 0–1 position (through the skew; a choice's index). */
  get normalized(): number {
    return toNormalized(this.spec, this.#value);
  }

  /** The value as text: the spec's `format`, else a default (the step's decimals and the unit, the choice, on/off). */
  get text(): string {
    return this.textOf(this.#value);
  }

  /** Who made the latest change. */
  get source(): ParameterSource {
    return this.#source;
  }

  /**
   * Sets the value from the host (automation, a preset): numbers are clamped and quantised. Reaches
   * every page, at most once per frame (`parameterInterval`), the latest value winning.
   * @throws {WebViewError} `INVALID_PARAMETER_VALUE` for a value of the wrong type or NaN
   */
  set(value: T): void {
    this.apply(this.#coerce(value), { source: 'host', page: undefined, inGesture: false }, undefined);
  }

  /** Sets the value at a 0–1 position. */
  setNormalized(normalized: number): void {
    if (typeof normalized !== 'number' || Number.isNaN(normalized)) {
      throw new WebViewError('INVALID_PARAMETER_VALUE', `parameter '${this.id}': a normalized value must be a number from 0 to 1`);
    }
    this.set(fromNormalized(this.spec, normalized) as T);
  }

  /** Back to the spec's default. */
  reset(): void {
    this.set(this.spec.default as T);
  }

  /** @internal The text of any value of this parameter. */
  textOf(value: T): string {
    if (this.#format !== undefined) {
      try {
        return String(this.#format(value));
      } catch (error) {
        this.#owner.failed(error);
      }
    }
    return defaultText(this.spec, value);
  }

  /** @internal True when the spec has a `format` (pages then get the text with each value). */
  get formats(): boolean {
    return this.#format !== undefined;
  }

  /**
   * @internal Declared again (a host module restarting): the new spec and format; the value stays
   * when the new spec holds it (clamped and quantised), else it becomes the new default. Tells the
   * pages when the value changed.
   */
  redefine(spec: ParameterSpec, format: ((value: T) => string) | undefined): void {
    this.#spec = spec;
    this.#format = format;
    let value: T;
    try {
      value = coerceValue(this.id, spec, this.#value) as T;
    } catch {
      value = spec.default as T;
    }
    this.apply(value, { source: 'host', page: undefined, inGesture: false }, undefined);
  }

  /** @internal Changes the value (already checked), emits `change` and tells the pages but the origin's. */
  apply(value: T, change: ParameterChange, origin: unknown): boolean {
    if (Object.is(value, this.#value)) return false;
    this.#value = value;
    this.#source = change.source;
    this.#owner.changed(this as unknown as Parameter, origin, change);
    this.#emitContained('change', value, change);
    return true;
  }

  /** @internal Emits a gesture event. */
  gesture(event: ParameterGesture<T>): void {
    this.#owner.gestured(this as unknown as Parameter, event);
    this.#emitContained('gesture', event);
  }

  #emitContained(event: keyof ParameterEvents<T>, ...args: unknown[]): void {
    for (const listener of this.listeners(event)) {
      try {
        const result = (listener as (...a: unknown[]) => unknown)(...args);
        if (result instanceof Promise) result.catch((error: unknown) => this.#owner.failed(error));
      } catch (error) {
        this.#owner.failed(error);
      }
    }
  }

  #coerce(value: unknown): T {
    try {
      return coerceValue(this.id, this.spec, value) as T;
    } catch (error) {
      if (error instanceof ParameterError) throw new WebViewError('INVALID_PARAMETER_VALUE', error.message);
      throw error;
    }
  }
}
