import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo-process.js';

describe('demo CLI: clear one-line errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hise-demo-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--help lists the options and exits 0', async () => {
    const { code, stdout } = await runDemo(['--help']);
    expect(code).toBe(0);
    for (const option of ['--port', '--file', '--open', '--paused', '--signal']) expect(stdout).toContain(option);
  });

  it.each([
    { args: ['--file', '/no/such/file.wav'], message: /^demo: no such file: \/no\/such\/file\.wav\n$/ },
    { args: ['--port', 'seventy'], message: /^demo: --port must be an integer from 0 to 65535/ },
    { args: ['--port', '0', '--signal', 'laser'], message: /^demo: --signal must be one of showcase, chord, sweep, noise/ },
    { args: ['--port', '0', '--prot', '4'], message: /^demo: Unknown option `--prot`\n$/ },
    { args: ['--port', '0', '--Open'], message: /^demo: Unknown option `--Open`\n$/ },
    { args: ['--port', '0', 'loop.wav'], message: /^demo: unexpected argument: loop\.wav/ },
  ])('$args → exit 1', async ({ args, message }) => {
    const { code, stderr } = await runDemo(args);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('refuses a WAV it cannot play with one line naming the format', async () => {
    const path = join(dir, 'eight-bit.wav');
    const wav = Buffer.alloc(46);
    wav.write('RIFF', 0, 'ascii');
    wav.writeUInt32LE(38, 4);
    wav.write('WAVEfmt ', 8, 'ascii');
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(8000, 28);
    wav.writeUInt16LE(1, 32);
    wav.writeUInt16LE(8, 34);
    wav.write('data', 36, 'ascii');
    wav.writeUInt32LE(2, 40);
    await writeFile(path, wav);
    const { code, stderr } = await runDemo(['--file', path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^demo: eight-bit\.wav: 8-bit integer audio is not supported/);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);

    await writeFile(path, 'not a wav at all');
    const garbage = await runDemo(['--file', path]);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/^demo: eight-bit\.wav is not a WAV file/);
  });
});
