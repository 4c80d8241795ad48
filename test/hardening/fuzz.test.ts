import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The quick mode of scripts/fuzz.mjs (which imports the built dist/): 20 000 random and mutated
// frames against a live host over six clients, every rejection a coded error event in the number
// the decoders predict, and a fresh client still served at the end.
describe('scripts/fuzz.mjs, quick', () => {
  it('20 000 frames against a live host: only coded errors, as predicted; still serving', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/fuzz.mjs', '--only', 'frames', '--count', '5000', '--live', '20000', '--seed', '7', '--json'], {
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

// The HTTP mode, quick: 3 000 random and mutated requests and upgrades against a host process
// serving a root with dotfiles and symlinks (half with enableCache off, half on). It fails on a
// malformed answer, a 500, a served secret, a hang, the host exiting, or heap growth after GC.
describe('scripts/fuzz.mjs --only http, quick', () => {
  it('3 000 requests: well-formed answers only, no secret, no 500; the host lives and still serves', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/fuzz.mjs', '--only', 'http', '--http', '3000', '--seed', '7', '--json'], {
      timeout: 60_000,
    });
    const summary = JSON.parse(stdout) as {
      failures: string[];
      http: { requests: number; hostExited: boolean; statuses: Record<string, number>; closedWithoutAnswer: number; memory: Record<string, number> }[];
    };
    expect(summary.failures).toEqual([]);
    expect(summary.http.map((run) => run.requests)).toEqual([1500, 1500]);
    for (const run of summary.http) {
      expect(run.hostExited).toBe(false);
      // The requests reach every branch: served, refused by Host, not found, unparseable, bad range.
      expect(Object.keys(run.statuses)).toEqual(expect.arrayContaining(['200', '400', '403', '404']));
      expect(run.statuses['500']).toBeUndefined();
      expect(run.memory.heapAfterMiB).toBeGreaterThan(0);
    }
  }, 60_000);
});
