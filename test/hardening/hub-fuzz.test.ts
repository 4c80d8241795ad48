import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The hub mode of scripts/fuzz.mjs, quick (docs/BAD-INPUT.md SP5; the full run is `npm run fuzz --
// --only hub`, 10^5 frames): random and mutated hub frames, control messages and handshakes from
// authenticated raw members against a live hub with two member processes. It fails when the hub
// closes a link where the protocol says it must not (or keeps one it must close), reports fewer
// errors than it rejected, forwards a frame that does not decode, a process exits, or memory grows.
describe('scripts/fuzz.mjs --only hub, quick', () => {
  it('SP5 1 500 hub frames and some 30 handshakes against a live hub and two members: links closed as predicted, every rejection reported, all alive, memory back', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/fuzz.mjs', '--only', 'hub', '--hub', '1500', '--seed', '7', '--json'], { timeout: 150_000 });
    const summary = JSON.parse(stdout) as {
      failures: string[];
      hub: { frames: number; handshakes: number; alive: boolean; predicted: Record<string, number>; hubErrorEvents: Record<string, number>; linksClosed: Record<string, number> };
    };
    expect(summary.failures).toEqual([]);
    expect(summary.hub.frames).toBe(1500);
    expect(summary.hub.handshakes).toBeGreaterThan(0);
    expect(summary.hub.alive).toBe(true);
    // The run reaches every branch: forwarded, undecodable, link-closing frames; accepted and refused control messages.
    expect(Object.keys(summary.hub.predicted)).toEqual(expect.arrayContaining(['binary/forwarded', 'binary/undecodable', 'binary/breaker', 'text/accepted', 'text/reported']));
    expect(summary.hub.hubErrorEvents.HUB_PROTOCOL_ERROR).toBeGreaterThan(100);
    expect(summary.hub.linksClosed['1002']).toBeGreaterThan(10);
  }, 160_000);
});
