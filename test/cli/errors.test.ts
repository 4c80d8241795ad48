import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';

// `hise-webview` as a user runs it: usage, and one-line errors with exit code 1 (no stack traces).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-cli-errors-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'throws.ts'), "export default function host(): void { throw new Error('boom at start'); }\n");
  await writeFile(join(dir, 'no-function.ts'), 'export const answer: number = 42;\n');
  await writeFile(join(dir, 'syntax.ts'), 'export default function host(): void {\n  const gain: number = ;\n}\n');
  await writeFile(join(dir, 'syntax.mjs'), 'export default function host() {\n  const gain = ;\n}\n');
  await writeFile(join(dir, 'link.ts'), "import { missing } from './helper.js';\nexport default function host(): void { missing(); }\n");
  await writeFile(join(dir, 'helper.ts'), "export function helper(): void {\n  const gain: number = 1;\n  if (gain) throw new RangeError('gain out of range');\n}\n");
  await writeFile(join(dir, 'deep.ts'), "import { helper } from './helper.js';\nexport default function host(): void {\n  helper();\n}\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** stderr of a failed run: exactly one line, prefixed with the command's name. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^hise-webview: /);
  return lines[0]!;
}

describe.concurrent('hise-webview usage', () => {
  it('--help lists the serve command and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('serve <root>');
    expect(stdout).toContain('init [dir]');
  });

  it('init --help lists its options', async () => {
    const { code, stdout } = await runCli(['init', '--help']);
    expect(code).toBe(0);
    for (const option of ['--name', '--force', '--yes']) expect(stdout).toContain(option);
  });

  it('serve --help lists its options', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    expect(code).toBe(0);
    for (const option of ['--module', '--host', '--port', '--open', '--signal', '--token', '--token-file', '--allow-file-pages', '--allow-origin', '--images']) {
      expect(stdout).toContain(option);
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hise-webview\/\d+\.\d+\.\d+/);
  });
});

describe.concurrent('hise-webview serve: errors exit 1 with one line', () => {
  it('a missing root', async () => {
    const { code, stderr } = await runCli(['serve', join(dir, 'missing')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(`root not found: ${join(dir, 'missing')}`);
  });

  it('a missing --images folder', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--images', join(dir, 'no-images')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(`cannot serve project images from ${join(dir, 'no-images')}`);
  });

  it('a taken port, named in the message', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await runCli(['serve', dir, '--port', String(port)]);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    { args: ['--port', 'seventy'], message: '--port must be an integer from 0 to 65535' },
    { args: ['--signal', 'laser:scope'], message: '--signal must be <sine|noise>:<id>' },
    { args: ['--module', 'nowhere.ts'], message: 'host module not found: nowhere.ts' },
    { args: ['--module', 'DIR/throw.ts'], message: 'host module not found: DIR/throw.ts (did you mean DIR/throws.ts?)' },
    { args: ['--allow-file-pages'], message: '--allow-file-pages needs a token your page from disk can present' },
    { args: ['--token', 'a', '--token-file', 'b'], message: '--token and --token-file both name a token' },
    { args: ['--host', 'a.ts', '--module', 'b.ts'], message: '--host is the old name of --module' },
  ])('$args', async ({ args, message }) => {
    const { code, stderr } = await runCli(['serve', dir, ...args.map((arg) => arg.replace('DIR', dir))]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(message.replaceAll('DIR', dir));
  });

  it('a host module that throws on first start: its message, then its stack and a code frame', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'throws.ts')]);
    expect(code).toBe(1);
    const [first, ...rest] = stderr.trimEnd().split('\n');
    expect(first).toMatch(/^hise-webview: host module .*throws\.ts threw: boom at start$/);
    expect(rest[0]).toMatch(/^ {4}at host \(.*throws\.ts:1:\d+\)$/);
    expect(rest.join('\n')).toContain("> 1 | export default function host(): void { throw new Error('boom at start'); }");
  });

  it('a host module without a function', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'no-function.ts')]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain('must export a default function (or one named host)');
  });

  it('an unknown option', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--zzzzzz', '4']);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toBe('hise-webview: unknown option --zzzzzz: see hise-webview serve --help');
  });
});

// One at a time: each runs a CLI process, and the machine may be shared.
describe('hise-webview: did you mean, our usage, the names of things, a port another host holds', () => {
  it.each([
    { args: ['serve', 'DIR', '--prot', '4'], message: 'unknown option --prot (did you mean --port?): see hise-webview serve --help' },
    { args: ['serve', 'DIR', '--hots', 'host.ts'], message: 'unknown option --hots (did you mean --module?): see hise-webview serve --help' },
    { args: ['serve', 'DIR', '--allow-orign=http://a.test'], message: 'unknown option --allow-orign (did you mean --allow-origin?)' },
    { args: ['init', '--nmae', 'x'], message: 'unknown option --nmae (did you mean --name?): see hise-webview init --help' },
    { args: ['serv', 'DIR'], message: 'unknown command serv (did you mean serve?): see hise-webview --help' },
    { args: ['deploy'], message: 'unknown command deploy: see hise-webview --help' },
    { args: ['serve', join('DIR', 'index.htm')], message: `root not found: ${join('DIR', 'index.htm')} (did you mean ${join('DIR', 'index.html')}?)` },
  ])('did you mean: $args', async ({ args, message }) => {
    const { code, stderr } = await runCli(args.map((arg) => arg.replace('DIR', dir)));
    expect(code).toBe(1);
    expect(oneLine(stderr)).toContain(message.replaceAll('DIR', dir));
  });

  it('serve without a folder: our own usage line', async () => {
    const { code, stderr } = await runCli(['serve']);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toBe(
      'hise-webview: serve needs the folder of the webview (or its index.html): hise-webview serve ./webview [--module host.ts] (see hise-webview serve --help)',
    );
  });

  it('--host still works, with a warning naming --module', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--host', join(dir, 'no-function.ts')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/warning: --host is deprecated \(in Vite, --host exposes the server on the network\): use --module <file>/);
    expect(stderr).toContain('must export a default function');
  });

  it('a token on the command line warns that other users can read it', async () => {
    const { stderr } = await runCli(['serve', join(dir, 'missing'), '--token', 'visible-secret']);
    expect(stderr).toContain('warning: a --token secret on the command line is visible to other users of this machine (process list)');
  });

  it('a port another hise-webview host holds: --shared is suggested; with --shared, a foreign holder gets one sentence', async () => {
    const holder = await startCli(['serve', dir, '--port', '0', '--token', 'none']);
    const port = new URL(holder.url).port;
    try {
      const plain = await runCli(['serve', dir, '--port', port]);
      expect(plain.code).toBe(1);
      expect(oneLine(plain.stderr)).toBe(`hise-webview: port ${port} is in use by another hise-webview host: add --shared (to both) to share it, or choose another with --port`);
    } finally {
      await holder.stop();
    }
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const shared = await runCli(['serve', dir, '--port', String(taken), '--shared']);
      expect(shared.code).toBe(1);
      expect(oneLine(shared.stderr)).toBe(
        `hise-webview: port ${taken} is in use by a program that is not a hise-webview host of yours: choose another with --port, or --port 0 for any free port`,
      );
    } finally {
      blocker.close();
    }
  }, 90_000);
});

/** stderr split into the first line and the rest, for errors that carry a stack or a code frame. */
function report(stderr: string): { first: string; rest: string } {
  const [first = '', ...rest] = stderr.trimEnd().split('\n');
  return { first, rest: rest.join('\n') };
}

describe.concurrent('hise-webview serve: host module errors a developer can act on', () => {
  it('a TypeScript syntax error: file:line:column, the message and a code frame', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'syntax.ts')]);
    expect(code).toBe(1);
    const { first, rest } = report(stderr);
    expect(first).toMatch(/^hise-webview: host module .*syntax\.ts failed to load: .*syntax\.ts:2:24: Unexpected ";"$/);
    expect(stderr).not.toContain('Transform failed');
    expect(stderr).not.toContain('esbuild');
    expect(rest).toBe(
      [
        '    1 | export default function host(): void {',
        '  > 2 |   const gain: number = ;',
        `      | ${' '.repeat(23)}^`,
        '    3 | }',
      ].join('\n'),
    );
  });

  it('a JavaScript syntax error (which Node reports without a place): found and framed', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'syntax.mjs')]);
    expect(code).toBe(1);
    const { first, rest } = report(stderr);
    expect(first).toMatch(/failed to load: .*syntax\.mjs:2:16: SyntaxError: Unexpected token ';'$/);
    expect(rest).toContain('  > 2 |   const gain = ;');
  });

  it('an import that does not exist: the importing line', async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'link.ts')]);
    expect(code).toBe(1);
    const { first, rest } = report(stderr);
    expect(first).toMatch(/failed to load: .*link\.ts:1:10: SyntaxError: .*does not provide an export named 'missing'$/);
    expect(rest).toContain(`  > 1 | import { missing } from './helper.js';`);
  });

  it("a throw in an imported file: the stack trimmed to the project's files, and the throwing line", async () => {
    const { code, stderr } = await runCli(['serve', dir, '--module', join(dir, 'deep.ts')]);
    expect(code).toBe(1);
    const { first, rest } = report(stderr);
    expect(first).toMatch(/^hise-webview: host module .*deep\.ts threw: RangeError: gain out of range$/);
    const frames = rest.split('\n').filter((line) => line.startsWith('    at '));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^ {4}at helper \(.*helper\.ts:3:19\)$/);
    expect(frames[1]).toMatch(/^ {4}at host \(.*deep\.ts:3:3\)$/);
    expect(rest).not.toMatch(/node_modules|node:internal|dist\//);
    expect(rest).toContain("  > 3 |   if (gain) throw new RangeError('gain out of range');");
  });
});
