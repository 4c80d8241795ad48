/**
 * Parameters over HISE's own channel in a form that survives HISE (PROTOCOL.md §9 "HISE mode"):
 * one message id per parameter (HISE keeps only the latest message per id in each ~5 ms cycle, so
 * one shared id would lose all but the last change of a preset load), every host → page payload
 * ≤ 125 bytes (HISE frames longer ones so a browser cannot read them), specs sent in parts, JSON
 * objects only (HISE drops arrays), ASCII only (HISE counts characters, not bytes).
 *
 * - `hwv:v:<id>`: the value, `{"v": value, "s": "host" | "page", "t"?: text, "c"?: client}`.
 * - `hwv:s<k>/<n>:<id>`: part k (0-based) of n of the spec: an object of some of its keys. The spec
 *   is the parts merged in order; an array under a key that several parts carry is concatenated (a
 *   long `choices` list spans parts).
 * - `hwv:e:<id>`: a refusal, `{"code", "message", "op"?}`.
 * Pure: no Node, no DOM.
 */
import { hiseJson } from './hise-json.js';
import { HiseFraming } from './hise-framing.js';
import { Layout } from './constants.js';
import { setOwn } from './own-key.js';
import type { ParameterSource, ParameterState, ParameterValueEntry } from './parameter-messages.js';

/** The prefixes of the host → page parameter message ids in HISE mode. */
export const HiseParameterPrefix = { Value: 'hwv:v:', Spec: 'hwv:s', Error: 'hwv:e:' } as const;

/** One host → page message: a string message `text` under `id`. */
export interface HiseTextMessage {
  readonly id: string;
  readonly text: string;
}

/** What one HISE-mode parameter message says. */
export type HiseParameterMessage =
  | { readonly kind: 'value'; readonly id: string; readonly entry: ParameterValueEntry; readonly client: string | undefined }
  | { readonly kind: 'spec'; readonly id: string; readonly part: number; readonly parts: number; readonly fields: Record<string, unknown> }
  | { readonly kind: 'error'; readonly id: string; readonly body: Record<string, unknown> };

/** Text bytes a message under `id` may carry and stay ≤ 125 bytes: `1 + 2 + (id + 1) + 4 + size`. */
export function hiseTextBudget(id: string): number {
  return HiseFraming.MAX_SHORT_PAYLOAD - Layout.FIXED_HEADER_BYTES - 1 - id.length;
}

/** JSON in ASCII: every other character as `\uXXXX` (HISE counts characters, so UTF-8 text would arrive cut short). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value message. */
export function hiseValueMessage(id: string, value: ParameterState['value'], source: ParameterSource, text?: string, client?: string): HiseTextMessage {
  const body: Record<string, unknown> = { v: value, s: source };
  if (text !== undefined) body.t = text;
  if (client !== undefined) body.c = client;
  return { id: HiseParameterPrefix.Value + id, text: asciiJson(body) };
}

/** A refusal message. */
export function hiseErrorMessage(id: string, body: { code: string; message: string; op?: string }): HiseTextMessage {
  return { id: HiseParameterPrefix.Error + id, text: asciiJson(body) };
}

/**
 * The spec of `id` in parts that each fit 125 bytes where they can: keys packed in order, a long
 * array split over parts under the same key. One key whose value cannot be split and does not fit
 * gets a part of its own (over 125 bytes: HISE could not send it).
 */
export function hiseSpecMessages(id: string, spec: object): HiseTextMessage[] {
  const budget = hiseTextBudget(`${HiseParameterPrefix.Spec}99/99:${id}`);
  const parts: Record<string, unknown>[] = [];
  let part: Record<string, unknown> = {};
  // Measured as HISE writes it (a space after `:` and `,`): HISE's script sends each part.
  const fits = (candidate: Record<string, unknown>): boolean => hiseJson(asciiJson(candidate)).length <= budget;
  const place = (key: string, value: unknown): void => {
    if (fits({ ...part, [key]: value })) {
      part[key] = value;
      return;
    }
    if (Object.keys(part).length > 0) parts.push(part);
    part = { [key]: value };
  };
  for (const [key, value] of Object.entries(spec)) {
    if (value === undefined) continue;
    if (!Array.isArray(value) || fits({ [key]: value })) {
      place(key, value);
      continue;
    }
    let piece: unknown[] = [];
    for (const item of value) {
      if (piece.length > 0 && !fits({ ...part, [key]: [...piece, item] })) {
        place(key, piece);
        parts.push(part);
        part = {};
        piece = [];
      }
      piece.push(item);
    }
    place(key, piece);
  }
  if (Object.keys(part).length > 0 || parts.length === 0) parts.push(part);
  return parts.map((fields, k) => ({ id: `${HiseParameterPrefix.Spec}${k}/${parts.length}:${id}`, text: asciiJson(fields) }));
}

/** What a string message under `messageId` says, when it is one of HISE mode's parameter messages (else `undefined`). */
export function readHiseParameterMessage(messageId: string, text: string): HiseParameterMessage | undefined {
  const spec = /^hwv:s(\d{1,4})\/(\d{1,4}):(.+)$/s.exec(messageId);
  const kind = spec !== null ? 'spec' : messageId.startsWith(HiseParameterPrefix.Value) ? 'value' : messageId.startsWith(HiseParameterPrefix.Error) ? 'error' : undefined;
  if (kind === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  if (spec !== null) {
    const part = Number(spec[1]);
    const parts = Number(spec[2]);
    return part < parts ? { kind: 'spec', id: spec[3]!, part, parts, fields } : undefined;
  }
  const id = messageId.slice(HiseParameterPrefix.Value.length);
  if (kind === 'error') return { kind, id, body: fields };
  const source: ParameterSource = fields.s === 'page' ? 'page' : 'host';
  const entry: ParameterValueEntry = typeof fields.t === 'string' ? [fields.v as ParameterValueEntry[0], source, fields.t] : [fields.v as ParameterValueEntry[0], source];
  return { kind: 'value', id, entry, client: typeof fields.c === 'string' && fields.c !== '' ? fields.c : undefined };
}

/** Collects a spec's parts until all have come; then the merged spec. A part of another count starts over. */
export class HiseSpecAssembler {
  readonly #pending = new Map<string, { parts: number; got: Map<number, Record<string, unknown>> }>();

  /** @returns the whole spec once its last missing part arrived, else `undefined` */
  add(id: string, part: number, parts: number, fields: Record<string, unknown>): Record<string, unknown> | undefined {
    let entry = this.#pending.get(id);
    if (entry === undefined || entry.parts !== parts) {
      entry = { parts, got: new Map() };
      this.#pending.set(id, entry);
    }
    entry.got.set(part, fields);
    if (entry.got.size < parts) return undefined;
    this.#pending.delete(id);
    const spec: Record<string, unknown> = {};
    for (let k = 0; k < parts; k++) {
      for (const [key, value] of Object.entries(entry.got.get(k)!)) {
        const before = Object.hasOwn(spec, key) ? spec[key] : undefined;
        setOwn(spec, key, Array.isArray(before) && Array.isArray(value) ? [...before, ...value] : value);
      }
    }
    return spec;
  }
}
