import { afterEach, describe, expect, it } from 'vitest';
import { CLI_HINTS, logRefusals, VITE_HINTS } from '../../src/dev/refusal-log.js';
import type { DevLogger } from '../../src/dev/log.js';
import { WebView } from '../../src/host/index.js';
import { RefusalCode } from '../../src/protocol/index.js';
import { RecordingClient } from '../helpers/node-client.js';
import { refusalOf } from '../helpers/refusal.js';

// The terminal's side of a refusal: one line per reason per interval, however often a page
// retries, then one line summing up the rest.

const hosts: WebView[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((wv) => wv.close()));
});

/** A logger that keeps its warnings, with a promise for the n-th. */
function keeping(): DevLogger & { warnings: string[]; nth(n: number): Promise<string> } {
  const warnings: string[] = [];
  const waiting: { n: number; resolve: (line: string) => void }[] = [];
  return {
    warnings,
    info: () => undefined,
    error: () => undefined,
    warn(line) {
      warnings.push(line);
      for (const waiter of waiting.filter((w) => w.n === warnings.length)) waiter.resolve(line);
    },
    nth: (n) => (warnings.length >= n ? Promise.resolve(warnings[n - 1]!) : new Promise((resolve) => waiting.push({ n, resolve }))),
  };
}

describe('logRefusals', () => {
  it('prints one line per reason per interval, then sums up the rest', async () => {
    const wv = new WebView({ token: 'a-token-of-the-host-1234' });
    hosts.push(wv);
    const port = await wv.setEnableWebSocket(0);
    const log = keeping();
    logRefusals(wv, log, CLI_HINTS, 300);
    for (let i = 0; i < 5; i++) {
      expect(await refusalOf(new RecordingClient(`ws://127.0.0.1:${port}/?token=wrong`).socket)).toMatchObject({ code: RefusalCode.Token });
    }
    expect(await refusalOf(new RecordingClient(`ws://127.0.0.1:${port}/`, { origin: 'https://evil.example' }).socket)).toMatchObject({ code: RefusalCode.Origin });
    expect(log.warnings).toHaveLength(2); // one token line, one origin line
    expect(log.warnings[0]).toMatch(/^refused a client without Origin: its token is missing or wrong/);
    expect(log.warnings[1]).toContain('admit it with --allow-origin https://evil.example');
    expect(await log.nth(3)).toBe('refused 4 more the same way (token) in the last 0.3 s');
    expect(log.warnings.join('\n')).not.toContain('a-token-of-the-host-1234');
  });

  it('names the Vite options in Vite, and escapes what a page sent', async () => {
    const wv = new WebView();
    hosts.push(wv);
    const port = await wv.setEnableWebSocket(0);
    const log = keeping();
    logRefusals(wv, log, VITE_HINTS, 300);
    await refusalOf(new RecordingClient(`ws://127.0.0.1:${port}/`, { origin: 'https://x.example\u009b2J' }).socket);
    expect(await log.nth(1)).toContain("hiseWebview({ webView: { allowedOrigins: ['https://x.example\\x9b2J'] } })");
  });
});
