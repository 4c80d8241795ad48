import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connect, type HiseClient } from '../../src/client/index.js';
import { readRecording } from '../../src/host/index.js';
import { runCli, startCli, type CliProcess } from './cli-process.js';

// `serve --record`, `serve --replay` and `--mock` as a user runs them: real CLI processes.
const dir = mkdtempSync(join(tmpdir(), 'hwv-cli-tape-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PAGE = write('index.html', '<!doctype html><p>x</p>');
const HOST = write(
  'host.mjs',
  `export default (wv) => {
  wv.retain('state');
  wv.send('state', { preset: 'warm' });
  wv.handle('add', (a, b) => a + b);
  const block = new Float32Array(64).fill(0.5);
  const timer = setInterval(() => wv.sendToWebsocket('scope', block), 5);
  return () => clearInterval(timer);
};`,
);
const MOCK = write('mock.mjs', `export default (wv) => { wv.handle('add', (a, b) => a * b); };`);
const clis: CliProcess[] = [];
const clients: HiseClient<any>[] = [];
afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all(clis.map((cli) => cli.stop()));
});

async function serve(args: string[]): Promise<CliProcess> {
  const cli = await startCli(['serve', PAGE, '--port', '0', '--token', 'none', ...args]);
  clis.push(cli);
  return cli;
}

function client(cli: CliProcess): HiseClient<any> {
  const c = connect<any>({ port: Number(new URL(cli.url).port), host: '127.0.0.1', WebSocket: WebSocket as never, minReconnectDelay: 20, maxReconnectDelay: 100 });
  clients.push(c);
  return c;
}

describe('hise-webview serve --record / --replay', () => {
  const file = join(dir, 'session.hwvrec');

  it('--record writes the host module’s session; --record-max-bytes stops it with a message, the file whole', async () => {
    const cli = await serve(['--module', HOST, '--record', file]);
    await cli.waitForLine(/recording to .*session\.hwvrec/);
    const page = client(cli);
    await page.ready;
    await expect(page.call('add', 2, 3)).resolves.toBe(5);
    while (readFileSync(file).byteLength < 4000) await new Promise((resolve) => setTimeout(resolve, 20));
    page.close();
    expect(await cli.stop()).toBe(0);
    const events = readRecording(readFileSync(file), { allowTruncated: false }).events;
    expect(events.find((e) => e.kind === 'send' && e.id === 'state')).toMatchObject({ retained: true, data: { preset: 'warm' } });
    expect(events.filter((e) => e.kind === 'send' && e.id === 'scope').length).toBeGreaterThan(5);
    expect(events.find((e) => e.kind === 'settle')).toMatchObject({ ok: true, value: 5 });

    const limited = join(dir, 'limited.hwvrec');
    const small = await serve(['--module', HOST, '--record', limited, '--record-max-bytes', '1500']);
    const line = await small.waitForLine(/reached its size limit/);
    expect(line).toMatch(/size limit of 1500 bytes .* recording stopped/);
    expect(readFileSync(limited).byteLength).toBeLessThanOrEqual(1500);
    expect(readRecording(readFileSync(limited), { allowTruncated: false }).events.length).toBeGreaterThan(2);
    await small.stop();
  });

  it('--replay plays it with no host (even cut short mid-record) and answers calls; --mock’s handlers win', async () => {
    const bytes = readFileSync(file);
    const cut = write('cut.hwvrec', '');
    writeFileSync(cut, bytes.subarray(0, bytes.byteLength - 7));
    const cli = await serve(['--replay', cut]);
    await cli.waitForLine(/ends inside a record \(\d+ bytes.*replaying its \d+ whole records/);
    await cli.waitForLine(/replaying \d+ messages, looping; answering call add/);
    const page = client(cli);
    const scope = new Promise((resolve) => page.on('scope', resolve));
    const state = new Promise((resolve) => page.on('state', resolve));
    await expect(state).resolves.toEqual({ preset: 'warm' });
    await expect(scope).resolves.toEqual(new Float32Array(64).fill(0.5));
    await expect(page.call('add', 2, 3)).resolves.toBe(5);
    await expect(page.call('add', 7, 7)).resolves.toBe(5); // no such arguments were recorded: the last result

    const mocked = await serve(['--replay', file, '--mock', MOCK]);
    const mockedPage = client(mocked);
    await expect(mockedPage.call('add', 7, 7)).resolves.toBe(49);
    writeFileSync(MOCK, `export default (wv) => { wv.handle('other', () => 1); };`); // the mock no longer handles add
    await mocked.waitForLine(/host module restarted/);
    await expect(mockedPage.call('add', 2, 3)).resolves.toBe(5); // the recording answers again
  });

  it('refuses argument mistakes and files that are not recordings, with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['--replay', file, '--module', HOST], /--replay serves with no host module: drop --module/],
      [['--mock', MOCK], /--mock answers a replay: use it with --replay/],
      [['--record-max-bytes', '10'], /--record-max-bytes limits a recording: use it with --record/],
      [['--record', file, '--record-max-bytes', 'lots'], /--record-max-bytes must be a positive integer/],
      [['--replay', HOST], /cannot be replayed \(NOT_A_RECORDING\)/],
      [['--replay', join(dir, 'missing.hwvrec')], /cannot read the recording/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['serve', PAGE, ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
