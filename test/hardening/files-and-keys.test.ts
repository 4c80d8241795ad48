import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseTape } from '../../src/cli/tape-arguments.js';
import { record, readRecordingFile } from '../../src/host/index.js';
import { SessionLedger } from '../../src/host/delivery/sessions.js';
import { Aggregator, observedHost } from '../../src/inspector/aggregator.js';
import { lineOf } from '../../src/inspector/summary.js';
import { createSessionId, encodeFrame, encodeRecordingHeader, FrameType, readAck } from '../../src/protocol/index.js';
import { runCli } from '../cli/cli-process.js';
import { until } from '../helpers/node-client.js';
import { mkfifoSync } from './fifo.js';
import { openPage, RawPage, watchedHost } from './helpers.js';

// Issue 23, items 4, 6 and 7: paths that are not files, keys named __proto__, and a thief's first
// sequence number. Rows F1–F2, I2 and S10 of docs/BAD-INPUT.md.

const base = mkdtempSync(join(tmpdir(), 'hise-files-keys-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const pages: RawPage[] = [];
afterEach(() => {
  for (const page of pages.splice(0)) page.socket.terminate();
});
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, success: () => undefined } as never;

/** stderr of a failed CLI run: exactly one line. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('F1–F2: paths that are not regular files', () => {
  const fifo = join(base, 'pipe');
  mkfifoSync(fifo);
  symlinkSync('/dev/zero', join(base, 'zero-link'));
  symlinkSync(fifo, join(base, 'pipe-link'));

  it('F1 serve --replay of /dev/zero, a FIFO, and a symbolic link to either: a one-line coded error at once, nothing read', async () => {
    for (const file of ['/dev/zero', fifo, join(base, 'zero-link'), join(base, 'pipe-link')]) {
      const started = performance.now();
      const { code, stderr } = await runCli(['serve', base, '--replay', file]);
      expect(code).toBe(1);
      const line = oneLine(stderr);
      expect(line).toMatch(/RECORDING_INVALID|not a regular file/);
      expect(line).toMatch(/a device|a named pipe/);
      expect(performance.now() - started).toBeLessThan(20_000); // before: /dev/zero read until memory ran out, a FIFO hung
    }
    // The library call behind it: RECORDING_FAILED, and a file over the limit is refused before it is read whole.
    await expect(readRecordingFile('/dev/zero')).rejects.toMatchObject({ code: 'RECORDING_FAILED' });
    await expect(readRecordingFile(join(base, 'pipe-link'))).rejects.toMatchObject({ code: 'RECORDING_FAILED' });
    const big = join(base, 'big.hwvrec');
    writeFileSync(big, Buffer.alloc(4096));
    await expect(readRecordingFile(big, { maxFileBytes: 1024 })).rejects.toMatchObject({ code: 'RECORDING_FAILED', message: expect.stringContaining('over maxFileBytes 1024') });
  }, 60_000);

  it('F2 serve --record over a file that is not a recording, a symbolic link, or a FIFO: refused (one line) unless --force; a recording is overwritten', async () => {
    const precious = join(base, 'notes.txt');
    writeFileSync(precious, 'my notes');
    const linkToRecording = join(base, 'link.hwvrec');
    const target = join(base, 'target.hwvrec');
    writeFileSync(target, encodeRecordingHeader(0));
    symlinkSync(target, linkToRecording);
    for (const file of [precious, linkToRecording, fifo]) {
      const { code, stderr } = await runCli(['serve', base, '--record', file]);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toMatch(/INVALID_ARGUMENT|not a recording|symbolic link|not a regular file/);
    }
    expect(readFileSync(precious, 'utf8')).toBe('my notes');
    expect(readFileSync(target)).toEqual(Buffer.from(encodeRecordingHeader(0)));
    // The parser the CLI runs: an existing recording may be overwritten; --force takes a file or replaces a link (not its target); a FIFO never.
    await expect(parseTape({ record: target }, quiet)).resolves.toMatchObject({ options: { record: { file: target } } });
    await expect(parseTape({ record: precious, force: true }, quiet)).resolves.toBeDefined();
    await expect(parseTape({ record: linkToRecording, force: true }, quiet)).resolves.toBeDefined();
    expect(existsSync(linkToRecording)).toBe(false); // the link went; the recording it named is untouched
    expect(existsSync(target)).toBe(true);
    await expect(parseTape({ record: fifo, force: true }, quiet)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // The recorder itself never follows a link nor opens a FIFO (it would block).
    const { wv } = await watchedHost();
    symlinkSync(target, linkToRecording);
    expect(() => record(wv, linkToRecording)).toThrow(expect.objectContaining({ code: 'RECORDING_FAILED' }));
    expect(() => record(wv, fifo)).toThrow(expect.objectContaining({ code: 'RECORDING_FAILED' }));
    await wv.close();
  }, 60_000);
});

describe('I2: a key named __proto__', () => {
  it('I2 the inspector shows a __proto__ key a page sent (retained preview, log line), and getState keeps a retained id __proto__', async () => {
    const { wv, port } = await watchedHost();
    wv.retain('preset', '__proto__');
    const aggregator = new Aggregator(observedHost(wv), { logSize: 50, logBytes: 1 << 20, callLogSize: 5, previewPoints: 64, sampleInterval: 100, maxIds: 8 });
    wv.setWebSocketCallback((data) => wv.send('preset', data as never)); // the host echoes it as its state
    const page = await openPage(wv, port);
    pages.push(page);
    page.send(encodeFrame(FrameType.Json, 'p', '{"__proto__":{"hidden":"HIDDEN-7f3a"},"shown":1}', { align: true }));
    await until(() => wv.getState().retained.preset !== undefined, 5000, 'the echo retained');
    const snapshot = JSON.stringify(aggregator.snapshot(performance.timeOrigin + performance.now()));
    expect(snapshot).toContain('__proto__');
    expect(snapshot).toContain('HIDDEN-7f3a');
    expect(lineOf(JSON.parse('{"__proto__":{"hidden":1}}'))).toContain('__proto__');
    wv.send('__proto__', { kept: true });
    const state = wv.getState();
    expect(Object.keys(state.retained)).toContain('__proto__');
    expect(JSON.stringify(state)).toContain('"__proto__":{"type":"json","value":{"kept":true}}');
    expect(Object.getPrototypeOf(state.retained)).toBe(Object.prototype); // the copy's prototype untouched
    await wv.close();
  });
});

describe('S10: a thief\'s first sequence number', () => {
  const numbered = (text: string, seq: number): Uint8Array => encodeFrame(FrameType.String, 't', text, { align: true, seq });

  it('S10 a first seq 0xFFFFFFFF on a stolen session id does not make the owner\'s messages duplicates; the owner is acknowledged its own numbers', async () => {
    const { wv, port, inbox } = await watchedHost();
    const session = createSessionId();
    const thief = await openPage(wv, port, { query: `?session=${session}` });
    pages.push(thief);
    thief.send(numbered('forged', 0xffffffff));
    await until(() => inbox.length === 1, 5000, 'the forged message');
    thief.socket.close();
    await thief.closed;
    await until(() => wv.pages.length === 0, 5000, 'the thief gone');
    const owner = await openPage(wv, port, { query: `?session=${session}` });
    pages.push(owner);
    owner.send(numbered('one', 1));
    owner.send(numbered('two', 2));
    await until(() => owner.frames.some((f) => f.type === FrameType.Ack && readAck(f) === 2), 5000, 'the ack of 2');
    // A resend after a lost ack is still a duplicate; the owner is never told 0xFFFFFFFF was delivered.
    owner.send(numbered('two', 2));
    owner.send(numbered('three', 3));
    await until(() => inbox.length === 4, 5000, 'three of the owner');
    expect(inbox.map((m) => m.data)).toEqual(['forged', 'one', 'two', 'three']);
    expect(owner.frames.filter((f) => f.type === FrameType.Ack).every((f) => readAck(f) <= 3)).toBe(true);
    await wv.close();
  });

  it('S10 the ledger: forged numbers (first, later, many) mark only themselves; the owner loses at most the one number a thief took', () => {
    const ledger = new SessionLedger(16, 1024);
    expect(ledger.accept('s', 0xffffffff)).toBe('new');
    for (let seq = 1; seq <= 50; seq++) expect(ledger.accept('s', seq)).toBe('new');
    expect(ledger.acknowledged('s', 50)).toBe(50);
    expect(ledger.accept('s', 50)).toBe('duplicate');
    // A thief's number within reach of the owner's: only that number is taken.
    expect(ledger.accept('s', 60)).toBe('new');
    for (let seq = 51; seq <= 59; seq++) expect(ledger.accept('s', seq)).toBe('new');
    expect(ledger.accept('s', 60)).toBe('duplicate');
    expect(ledger.accept('s', 61)).toBe('new');
    expect(ledger.acknowledged('s', 61)).toBe(61);
    // Many forged numbers: runs are bounded, the owner's run (used last) is kept, nothing of the owner refused.
    for (let k = 0; k < 40; k++) ledger.accept('s', 100_000 + 3 * k);
    expect(ledger.accept('s', 62)).toBe('new');
    expect(ledger.accept('s', 61)).toBe('duplicate');
    // Without a forged first number the window holds as before (S6).
    const fresh = new SessionLedger(16, 1024);
    expect(fresh.accept('t', 1)).toBe('new');
    expect(fresh.accept('t', 0xffffffff)).toBe('out-of-window');
    expect(fresh.accept('t', 2)).toBe('new');
  });
});
