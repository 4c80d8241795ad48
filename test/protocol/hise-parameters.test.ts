import { describe, expect, it } from 'vitest';
import { encodeString } from '../../src/protocol/encode.js';
import { asciiJson, hiseSpecMessages, HiseSpecAssembler, hiseValueMessage, readHiseParameterMessage } from '../../src/protocol/hise-parameters.js';

// Issue 22: HISE-mode parameters in messages HISE can carry (PROTOCOL.md §9 "HISE mode"): one id
// per parameter, every payload ≤ 125 bytes, specs in parts, objects only, ASCII only.

const GAIN = { type: 'number', min: -60, max: 12, default: 0, step: 0.1, unit: 'dB', label: 'Output gain', skew: 'linear' };
const MODE = { type: 'choice', default: 'sine', label: 'Mode', choices: Array.from({ length: 30 }, (_, i) => `waveform-${i}`) };

describe('HISE-mode parameter messages', () => {
  it.each([
    ['gain', GAIN],
    ['mode', MODE],
  ])('the spec of %s goes in parts of ≤ 125-byte payloads that merge back to it', (id, spec) => {
    const parts = hiseSpecMessages(id, spec);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(encodeString(part.id, part.text).byteLength).toBeLessThanOrEqual(125);
    expect(parts.map((part) => part.id)).toEqual(parts.map((_, k) => `hwv:s${k}/${parts.length}:${id}`));
    const assembler = new HiseSpecAssembler();
    const results = [...parts].reverse().map((part) => {
      const read = readHiseParameterMessage(part.id, part.text);
      if (read?.kind !== 'spec') throw new Error(`not a spec part: ${part.id}`);
      return assembler.add(read.id, read.part, read.parts, read.fields);
    });
    expect(results.slice(0, -1).every((result) => result === undefined)).toBe(true);
    expect(results.at(-1)).toEqual(spec);
  });

  it('a value is an object (HISE drops arrays) in ASCII (HISE counts characters), under its own id', () => {
    const message = hiseValueMessage('gain', -6, 'page', '−6 dB', 'c1');
    expect(message).toEqual({ id: 'hwv:v:gain', text: '{"v":-6,"s":"page","t":"\\u22126 dB","c":"c1"}' });
    expect(readHiseParameterMessage(message.id, message.text)).toEqual({ kind: 'value', id: 'gain', entry: [-6, 'page', '−6 dB'], client: 'c1' });
    expect(asciiJson({ a: 'é' })).toBe('{"a":"\\u00e9"}');
  });

  it("HISE's own JSON (a space after : and ,) reads the same; other ids and non-objects are not parameter messages", () => {
    expect(readHiseParameterMessage('hwv:v:gain', '{"v": 3, "s": "host", "c": ""}')).toEqual({ kind: 'value', id: 'gain', entry: [3, 'host'], client: undefined });
    expect(readHiseParameterMessage('hwv:s1/2:gain', '{"unit": "dB"}')).toEqual({ kind: 'spec', id: 'gain', part: 1, parts: 2, fields: { unit: 'dB' } });
    expect(readHiseParameterMessage('hwv:s2/2:gain', '{}')).toBeUndefined();
    expect(readHiseParameterMessage('scope', '{}')).toBeUndefined();
    expect(readHiseParameterMessage('hwv:v:gain', '[1]')).toBeUndefined();
    expect(readHiseParameterMessage('hwv:v:gain', 'not json')).toBeUndefined();
  });

  it('a part of another count starts the spec over; a __proto__ key stays an own key', () => {
    const assembler = new HiseSpecAssembler();
    expect(assembler.add('p', 0, 3, { type: 'number' })).toBeUndefined();
    expect(assembler.add('p', 1, 2, { max: 1 })).toBeUndefined();
    const spec = assembler.add('p', 0, 2, JSON.parse('{"type": "number", "__proto__": {"polluted": true}}'));
    expect(spec).toEqual(JSON.parse('{"type": "number", "__proto__": {"polluted": true}, "max": 1}'));
    expect(Object.getPrototypeOf(spec)).toBe(Object.prototype);
  });
});
