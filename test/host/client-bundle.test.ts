import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The drop-in's size budget: it is loaded by every page, so it must stay small. */
const GZIP_BUDGET_BYTES = 2560;

describe('dist/hisewebsocket-min.js', () => {
  const script = readFileSync(new URL('../../dist/hisewebsocket-min.js', import.meta.url));

  it(`is at most ${GZIP_BUDGET_BYTES} bytes gzip`, () => {
    expect(gzipSync(script).byteLength).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it('is a classic script that defines the global and nothing else', () => {
    const text = script.toString();
    expect(text).not.toMatch(/\bimport\s*[{*(]|\bexport\s/);
    const sandbox: Record<string, unknown> = {};
    new Function('globalThis', text)(sandbox);
    expect(Object.keys(sandbox)).toEqual(['HiseWebSocketServer']);
    expect(typeof sandbox.HiseWebSocketServer).toBe('function');
  });
});
