/**
 * Bounded, JSON-safe views of the values that cross the bridge, for the inspector page: what it
 * shows must never cost more than a fixed amount to build, send or render, whatever the host sent.
 */
import { setOwn } from '../protocol/own-key.js';

/** Characters of a string kept in a preview. */
export const MAX_TEXT = 2000;
/** Characters of a one-line summary (the message log, call arguments). */
export const MAX_LINE = 160;
/** Levels of a JSON value kept in a preview; deeper levels become `'…'`. */
export const MAX_DEPTH = 6;
/** Keys or items per level of a JSON value kept in a preview. */
export const MAX_ITEMS = 50;
/** Values (nodes) of a JSON value kept in a preview in all; the rest become `'…'`. */
export const MAX_NODES = 500;

/** A typed array's or bytes' constructor name, as the inspector shows it. */
export type ArrayKind = 'Float32Array' | 'Float64Array' | 'Int16Array' | 'Int32Array' | 'Uint8Array';

/** What the page draws for an id: an oscilloscope, text, a tree, or a number row. */
export type Preview =
  | { readonly kind: 'scope'; readonly type: ArrayKind; readonly length: number; readonly points: number[]; readonly min: number; readonly max: number }
  | { readonly kind: 'text'; readonly length: number; readonly text: string }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'none' };

/** The type the inspector shows for a value: a typed array's name, `string`, `JSON`. */
export function typeOf(value: unknown): string {
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'string') return 'string';
  if (value === undefined) return 'none';
  return 'JSON';
}

/** Elements of a typed array, characters of a string, keys or items of JSON. */
export function sizeOf(value: unknown): number {
  if (ArrayBuffer.isView(value)) return 'length' in value ? (value as unknown as { length: number }).length : value.byteLength;
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 1;
}

/**
 * Bytes a value takes on the wire (payload only): exact for typed arrays and strings; for JSON the
 * length of its text, measured only when `measureJson` (it costs a `JSON.stringify`).
 */
export function bytesOf(value: unknown, measureJson: boolean): number | undefined {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (!measureJson) return undefined;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return undefined;
  }
}

/**
 * A preview of `value`: typed arrays decimated to at most `points` points (min and max kept per
 * bucket, so a peak never vanishes), strings cut at {@link MAX_TEXT}, JSON cut at
 * {@link MAX_DEPTH} levels and {@link MAX_ITEMS} items per level. Always a copy.
 */
export function previewOf(value: unknown, points: number): Preview {
  if (value === undefined) return { kind: 'none' };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return scope(value as unknown as ArrayLike<number> & ArrayBufferView, points);
  if (typeof value === 'string') return { kind: 'text', length: value.length, text: cut(value, MAX_TEXT + 1) };
  return { kind: 'json', value: bounded(value, MAX_DEPTH) };
}

function scope(array: ArrayLike<number> & ArrayBufferView, points: number): Preview {
  const length = array.length;
  const out: number[] = [];
  let min = Infinity;
  let max = -Infinity;
  const buckets = Math.min(length, Math.max(1, Math.floor(points / 2)));
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor((bucket * length) / buckets);
    const to = Math.max(from + 1, Math.floor(((bucket + 1) * length) / buckets));
    let low = Infinity;
    let high = -Infinity;
    for (let i = from; i < to; i++) {
      const sample = Number(array[i]);
      if (!Number.isFinite(sample)) continue; // NaN and ±Infinity would break the drawing, not the page
      if (sample < low) low = sample;
      if (sample > high) high = sample;
    }
    if (low === Infinity) low = high = 0;
    if (to - from === 1) out.push(low);
    else out.push(low, high);
    min = Math.min(min, low);
    max = Math.max(max, high);
  }
  if (min === Infinity) min = max = 0;
  return { kind: 'scope', type: array.constructor.name as ArrayKind, length, points: out, min, max };
}

/**
 * A JSON-safe copy of `value`, cut at `depth` levels, {@link MAX_ITEMS} items per level and
 * {@link MAX_NODES} values in all (whatever its shape, a preview stays small).
 */
export function bounded(value: unknown, depth: number, budget = { nodes: MAX_NODES }): unknown {
  if (budget.nodes-- <= 0) return '…';
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return cut(value, MAX_TEXT + 1);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return '(undefined)';
  if (typeof value !== 'object') return `(${typeof value})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${sizeOf(value)})`;
  if (depth <= 0) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => bounded(item, depth - 1, budget));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return items;
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (count++ === MAX_ITEMS || budget.nodes <= 0) {
      out['…'] = 'more keys';
      break;
    }
    setOwn(out, key, bounded((value as Record<string, unknown>)[key], depth - 1, budget)); // a key `__proto__` shown, not made the prototype
  }
  return out;
}

/** One line for the log: a typed array's type and size, a string quoted, JSON as text; at most {@link MAX_LINE} characters. */
export function lineOf(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${sizeOf(value)})`;
  if (typeof value === 'string') return cut(JSON.stringify(value.length > MAX_LINE ? value.slice(0, MAX_LINE) : value));
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(bounded(value, 3)) ?? String(value);
  } catch {
    text = String(value);
  }
  return cut(text);
}

/** Arguments as one line: `(1, "a", Float32Array(4))`. */
export function argsLine(args: readonly unknown[]): string {
  return cut(args.slice(0, MAX_ITEMS).map(lineOf).join(', '));
}

/**
 * `text`, at most `max` characters. A cut text is copied: V8 keeps a slice of a string as a view
 * of the whole, and a log that keeps a 160-character line must not keep a 1 MB message alive.
 */
export function cut(text: string, max = MAX_LINE): string {
  if (text.length <= max) return text;
  return Buffer.from(`${text.slice(0, max - 1)}…`, 'utf16le').toString('utf16le');
}
