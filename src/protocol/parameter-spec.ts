/**
 * Parameters (PROTOCOL.md "Parameters"): what a parameter is (its spec), and the pure arithmetic both sides
 * share: validation, clamping, quantising, skew, normalising, default text. No Node, no DOM.
 */
import { CodedError } from './coded-error.js';

/** Stable codes of bad parameter input, the same on the host (WebViewError) and the page (ParameterError). */
export type ParameterErrorCode =
  /** No parameter of that id is declared on the host. */
  | 'UNKNOWN_PARAMETER'
  /** A value of the wrong type for the parameter (a string for a number, NaN, an unknown choice …). */
  | 'INVALID_PARAMETER_VALUE'
  /** A number outside the parameter's min–max (a page's value; the host's own `set` clamps instead). */
  | 'PARAMETER_OUT_OF_RANGE'
  /** `end` (or a gesture's `set`) for a parameter whose gesture this page has not begun. */
  | 'GESTURE_NOT_STARTED'
  /** `begin` for a parameter whose gesture this page has already begun. */
  | 'GESTURE_NESTED'
  /** `begin` for one parameter while this page's gesture on another is open. */
  | 'GESTURE_INTERLEAVED'
  /** A parameter message that is not of the documented shape. */
  | 'INVALID_PARAMETER_MESSAGE'
  /** A spec the host cannot use (min ≥ max, a default out of range, no choices …). */
  | 'INVALID_PARAMETER_SPEC';

/** What a parameter error says, as it crosses the wire. */
export interface ParameterProblem {
  code: ParameterErrorCode;
  message: string;
}

/** The error a page's parameter methods throw, and what the host's coded answers become on the page. */
export class ParameterError extends CodedError<ParameterErrorCode> {
  override readonly name = 'ParameterError';
  /** The parameter concerned ('' when unknown). */
  readonly parameter: string;

  constructor(code: ParameterErrorCode, message: string, parameter = '') {
    super(code, message);
    this.parameter = parameter;
  }
}

/** Every value a parameter can hold. */
export type ParameterValue = number | string | boolean;

/** How a number maps to its normalised 0–1 position: linear, logarithmic, or a number = the value at the middle. */
export type Skew = 'linear' | 'log' | number;

/** A number parameter as declared on the host. */
export interface NumberSpecInput {
  type?: 'number';
  min: number;
  max: number;
  /** @default min (or 0 when the range holds 0) */
  default?: number;
  /** Values are rounded to min + k·step; 0 or absent: continuous. */
  step?: number;
  unit?: string;
  label?: string;
  /** @default 'linear' */
  skew?: Skew;
  /** Text of a value (host side; pages get the text with each value). */
  format?: (value: number) => string;
}

/** A choice parameter: one of a list of names. */
export interface ChoiceSpecInput<T extends string = string> {
  type?: 'choice';
  choices: readonly T[];
  /** @default the first choice */
  default?: T;
  label?: string;
  format?: (value: T) => string;
}

/** An on/off parameter. */
export interface BooleanSpecInput {
  type: 'boolean';
  /** @default false */
  default?: boolean;
  label?: string;
  format?: (value: boolean) => string;
}

/** What `wv.parameter(id, spec)` takes. */
export type ParameterSpecInput = NumberSpecInput | ChoiceSpecInput | BooleanSpecInput;

/** The spec for a value type: numbers get ranges, strings choices, booleans nothing. */
export type SpecFor<T> = [T] extends [boolean] ? BooleanSpecInput : [T] extends [number] ? NumberSpecInput : [T] extends [string] ? ChoiceSpecInput<T> : ParameterSpecInput;

/** The value type a spec declares: boolean, one of its choices, or number. */
export type ValueOfSpec<S> = S extends { type: 'boolean' } ? boolean : S extends { choices: readonly (infer X)[] } ? X : number;

/** A checked spec as both sides hold it (the wire form: no functions). */
export type ParameterSpec =
  | { type: 'number'; min: number; max: number; default: number; step: number; unit: string; label: string; skew: Skew }
  | { type: 'choice'; choices: readonly string[]; default: string; label: string }
  | { type: 'boolean'; default: boolean; label: string };

/** Longest label, unit or choice name, in characters. */
export const MAX_PARAMETER_TEXT = 256;
/** Most choices a choice parameter may have. */
export const MAX_CHOICES = 1024;

/**
 * Checks a declared spec and fills in its defaults.
 * @throws {ParameterError} `INVALID_PARAMETER_SPEC`
 */
export function checkSpec(id: string, input: unknown): ParameterSpec {
  const bad = (why: string): never => {
    throw new ParameterError('INVALID_PARAMETER_SPEC', `parameter '${id}': ${why}`, id);
  };
  if (typeof input !== 'object' || input === null) return bad('the spec must be an object');
  const spec = input as Record<string, unknown>;
  const label = optionalText(spec.label, 'label', bad);
  const type = spec.type ?? ('choices' in spec ? 'choice' : 'number');
  if (spec.format !== undefined && typeof spec.format !== 'function') bad('format must be a function');
  if (type === 'boolean') {
    if (spec.default !== undefined && typeof spec.default !== 'boolean') bad('the default of a boolean must be true or false');
    return { type, default: (spec.default as boolean | undefined) ?? false, label };
  }
  if (type === 'choice') {
    const choices = spec.choices;
    if (!Array.isArray(choices) || choices.length === 0 || choices.length > MAX_CHOICES) bad(`choices must be 1 to ${MAX_CHOICES} names`);
    const names = choices as unknown[];
    if (!names.every((c) => typeof c === 'string' && c.length <= MAX_PARAMETER_TEXT)) bad('every choice must be a string');
    if (new Set(names).size !== names.length) bad('choices must be distinct');
    const fallback = names[0] as string;
    if (spec.default !== undefined && !names.includes(spec.default)) bad(`the default '${String(spec.default)}' is not one of the choices`);
    return { type, choices: Object.freeze([...(names as string[])]), default: (spec.default as string | undefined) ?? fallback, label };
  }
  if (type !== 'number') return bad(`type must be 'number', 'choice' or 'boolean', got ${String(type)}`);
  const { min, max } = spec;
  if (!isFiniteNumber(min) || !isFiniteNumber(max) || !(min < max)) return bad('min and max must be finite numbers with min < max');
  const step = spec.step ?? 0;
  if (!isFiniteNumber(step) || step < 0) bad('step must be a finite number >= 0');
  const skew = checkSkew(spec.skew ?? 'linear', min, max, bad);
  const fallback = min <= 0 && max >= 0 ? 0 : min;
  const def = spec.default ?? fallback;
  if (!isFiniteNumber(def) || def < min || def > max) bad(`the default must be a number from ${min} to ${max}`);
  const checked = { type, min, max, step: step as number, unit: optionalText(spec.unit, 'unit', bad), label, skew, default: 0 } as const;
  return { ...checked, default: quantise(checked, def as number) };
}

function checkSkew(skew: unknown, min: number, max: number, bad: (why: string) => never): Skew {
  if (skew === 'linear' || skew === 'log') return skew;
  if (isFiniteNumber(skew) && skew > min && skew < max) return skew;
  return bad(`skew must be 'linear', 'log' or a centre value between min and max, got ${String(skew)}`);
}

function optionalText(value: unknown, what: string, bad: (why: string) => never): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > MAX_PARAMETER_TEXT) return bad(`${what} must be a string of at most ${MAX_PARAMETER_TEXT} characters`);
  return value;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

type NumberSpec = Extract<ParameterSpec, { type: 'number' }>;

/** Rounds to the spec's step (from min) and clamps to min–max; `-0` becomes 0. */
export function quantise(spec: Pick<NumberSpec, 'min' | 'max' | 'step'>, value: number): number {
  let v = Math.min(spec.max, Math.max(spec.min, value));
  if (spec.step > 0) {
    v = spec.min + Math.round((v - spec.min) / spec.step) * spec.step;
    v = Number(v.toFixed(decimalsOf(spec.step) + 2)); // 0.1 + 0.2 stays 0.3
    v = Math.min(spec.max, Math.max(spec.min, v));
  }
  return v === 0 ? 0 : v;
}

/** Digits after the point a step needs (0.25 → 2). */
export function decimalsOf(step: number): number {
  if (!(step > 0) || Number.isInteger(step)) return 0;
  let digits = DECIMALS.get(step);
  if (digits === undefined) DECIMALS.set(step, (digits = countDecimals(step)));
  return digits;
}

/** Steps seen so far and their digits: `quantise` runs for every value a page or the host sets. */
const DECIMALS = /* @__PURE__ */ new Map<number, number>();

function countDecimals(step: number): number {
  const text = step.toString();
  const exp = /e-(\d+)$/.exec(text);
  if (exp !== null) return Number(exp[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * Checks a value from outside (a page, a stored state): the right type, not NaN, inside the range;
 * returns it quantised.
 * @throws {ParameterError} `INVALID_PARAMETER_VALUE`, `PARAMETER_OUT_OF_RANGE`
 */
export function checkValue(id: string, spec: ParameterSpec, value: unknown): ParameterValue {
  const bad = (code: ParameterErrorCode, why: string): never => {
    throw new ParameterError(code, `parameter '${id}': ${why}`, id);
  };
  switch (spec.type) {
    case 'boolean':
      return typeof value === 'boolean' ? value : bad('INVALID_PARAMETER_VALUE', `expects true or false, got ${describe(value)}`);
    case 'choice':
      if (typeof value !== 'string') return bad('INVALID_PARAMETER_VALUE', `expects one of its choices, got ${describe(value)}`);
      return spec.choices.includes(value) ? value : bad('INVALID_PARAMETER_VALUE', `'${value}' is not one of its choices`);
    default:
      if (typeof value !== 'number' || Number.isNaN(value)) return bad('INVALID_PARAMETER_VALUE', `expects a number, got ${describe(value)}`);
      if (!(value >= spec.min && value <= spec.max)) return bad('PARAMETER_OUT_OF_RANGE', `${value} is outside ${spec.min} to ${spec.max}`);
      return quantise(spec, value);
  }
}

/**
 * The host's own `set`: numbers are clamped (not refused) and quantised; the wrong type still throws.
 * @throws {ParameterError} `INVALID_PARAMETER_VALUE`
 */
export function coerceValue(id: string, spec: ParameterSpec, value: unknown): ParameterValue {
  if (spec.type === 'number' && typeof value === 'number' && !Number.isNaN(value)) return quantise(spec, value);
  return checkValue(id, spec, value);
}

/** The 0–1 position of a value (through the skew for numbers, the index for choices). */
export function toNormalized(spec: ParameterSpec, value: ParameterValue): number {
  if (spec.type === 'boolean') return value === true ? 1 : 0;
  if (spec.type === 'choice') return spec.choices.length < 2 ? 0 : Math.max(0, spec.choices.indexOf(value as string)) / (spec.choices.length - 1);
  const proportion = (Math.min(spec.max, Math.max(spec.min, value as number)) - spec.min) / (spec.max - spec.min);
  if (spec.skew === 'linear') return proportion;
  if (spec.skew === 'log') return logProportion(spec, value as number);
  return Math.pow(proportion, skewExponent(spec, spec.skew));
}

/** The value at a 0–1 position (clamped to 0–1), quantised. */
export function fromNormalized(spec: ParameterSpec, normalized: number): ParameterValue {
  const n = Math.min(1, Math.max(0, Number.isNaN(normalized) ? 0 : normalized));
  if (spec.type === 'boolean') return n >= 0.5;
  if (spec.type === 'choice') return spec.choices[Math.round(n * (spec.choices.length - 1))]!;
  const range = spec.max - spec.min;
  let value: number;
  if (spec.skew === 'linear') value = spec.min + n * range;
  else if (spec.skew === 'log') value = fromLogProportion(spec, n);
  else value = spec.min + range * Math.pow(n, 1 / skewExponent(spec, spec.skew));
  return quantise(spec, value);
}

/**
 * `'log'`: a true logarithmic scale when min > 0 (frequencies); otherwise the logarithm of the
 * distance from min, log(1 + v − min) / log(1 + max − min), which gives the low end more travel.
 */
function logProportion(spec: NumberSpec, value: number): number {
  if (spec.min > 0) return Math.log(value / spec.min) / Math.log(spec.max / spec.min);
  return Math.log1p(value - spec.min) / Math.log1p(spec.max - spec.min);
}

function fromLogProportion(spec: NumberSpec, n: number): number {
  if (spec.min > 0) return spec.min * Math.pow(spec.max / spec.min, n);
  return spec.min + Math.expm1(n * Math.log1p(spec.max - spec.min));
}

/** The exponent that puts `centre` at 0.5 (as JUCE's skew factor from a centre point). */
function skewExponent(spec: NumberSpec, centre: number): number {
  return Math.log(0.5) / Math.log((centre - spec.min) / (spec.max - spec.min));
}

/** The default text of a value: a number with the step's decimals (2 when continuous) and its unit; a choice's name; on/off. */
export function defaultText(spec: ParameterSpec, value: ParameterValue): string {
  if (spec.type === 'boolean') return value ? 'on' : 'off';
  if (spec.type === 'choice') return String(value);
  const decimals = spec.step > 0 ? decimalsOf(spec.step) : 2;
  const text = (value as number).toFixed(Math.min(decimals, 20));
  return spec.unit === '' ? text : `${text} ${spec.unit}`;
}

/** A page-supplied value for an error message: never its own `toString` (a page may send `{"toString": 1}`). */
export function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  return value === null ? 'null' : typeof value;
}
