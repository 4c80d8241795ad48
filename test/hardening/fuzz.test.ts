import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The quick mode of scripts/fuzz.mjs (which imports the built dist/): 20 000 random and mutated
// frames against a live host over six clients, every rejection a coded error event in the number
// the decoders predict, and a fresh client still served at the end.
describe('scripts/fuzz.mjs, quick', () => {
  it('20 000 frames against a live host: only coded errors, as predicted; still serving', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/fuzz.mjs', '--count', '5000', '--live', '20000', '--seed', '7', '--json'], {
      timeout: 60_000,
    });
    const summary = JSON.parse(stdout) as {
      failures: string[];
      decoders: { frames: number };
      host: { frames: number; delivered: number; stillServing: boolean; errorEvents: Record<string, number> };
    };
    expect(summary.failures).toEqual([]);
    expect(summary.host.frames).toBe(20_000);
    expect(summary.host.stillServing).toBe(true);
    expect(summary.host.delivered).toBeGreaterThan(1000);
    expect(Object.keys(summary.host.errorEvents)).toEqual(
      expect.arrayContaining(['INVALID_FRAME/TRUNCATED_HEADER', 'INVALID_FRAME/SIZE_PAST_END', 'INVALID_FRAME/INVALID_UTF8', 'INVALID_JSON', 'INVALID_FLOAT_PAYLOAD', 'PAGE_PROTOCOL_ERROR', 'MESSAGE_TOO_LARGE']),
    );
  }, 60_000);
});
