import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, type CliProcess } from '../cli/cli-process.js';
import { makeHostileRoot, rawGet, rawUpgrade, SECRETS } from './raw-http.js';

// Issue 10, class 1, for the CLI: the requests that each ended `hise-webview serve` (a separate
// process here, as a user runs it) are answered, and the process is still serving afterwards.
describe('hise-webview serve under hostile requests', () => {
  let cli: CliProcess;
  let port: number;
  beforeAll(async () => {
    cli = await startCli(['serve', makeHostileRoot().root, '--port', '0']);
    port = Number(new URL(cli.url).port);
  });
  afterAll(async () => {
    expect(await cli?.stop()).toBe(0);
  });

  it('bad targets, bad ranges, a dangling symlink, foreign Hosts and dotfiles: answered, and the process lives', async () => {
    const answers = [
      await rawGet(port, '//%5B'),
      await rawUpgrade(port, '//%5B'),
      await rawGet(port, 'http://[/'),
      await rawGet(port, '/data.bin', ['Range: bytes=9-2']),
      await rawGet(port, '/dangling.js'),
      await rawGet(port, '/', [`Host: evil.example:${port}`]),
      await rawGet(port, '/.env'),
      await rawGet(port, '/out.txt'),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 416, 404, 403, 404, 404]);
    for (const answer of answers) for (const secret of SECRETS) expect(answer.body).not.toContain(secret);
    expect(cli.child.exitCode).toBeNull();
    const page = await rawGet(port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('hise-webview-bridge.js');
  });
});
