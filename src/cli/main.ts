#!/usr/bin/env node
// `hise-webview`: develop a HISE webview in any browser against a live host.
import { cac } from 'cac';
import { DevError, withDetails } from '../dev/errors.js';
import { WebViewError } from '../host/errors.js';
import type { InitOptions } from './init-command.js';
import type { ServeOptions } from './serve-command.js';
import { packageVersion } from './version.js';

const cli = cac('hise-webview');

cli
  .command('serve <root>', 'serve a webview folder (or its index.html) with the bridge injected, reload pages on change')
  .option('--host <module>', 'host module (.ts or .js) exporting a function that receives the WebView; restarted when it changes')
  .option('--port <n>', 'port of the host (0: any free port)', { default: 0 })
  .option('--open', 'open the page in the default browser')
  .option('--signal <kind:id>', 'without --host: stream a test signal (sine or noise) to an id, e.g. sine:scope (repeatable)')
  .option('--block-size <n>', 'samples per signal block (default: 512)')
  .option('--rate <hz>', 'signal blocks per second (default: 60)')
  .option('--images <dir>', "the project's images folder: serves HISE's {PROJECT_FOLDER}name.png references from it")
  .option('--inspect', 'serve the live inspector page on the host\'s port and print its URL (it carries its own token)')
  .option('--shared', 'share --port with other hise-webview hosts of this user: the first holds it, the others join, one takes over when it goes')
  .option('--token <secret>', "token every connection must present: auto (default: random per launch, put into served pages), none, or a secret")
  .option('--record <file>', 'record the session (messages both ways, calls, with timing) to a file while serving')
  .option('--force', 'with --record: overwrite an existing file that is not a recording (a symbolic link is replaced, never followed)')
  .option('--record-max-bytes <n>', 'stop recording when the file would pass this size (default: 268435456, 256 MiB)')
  .option('--replay <file>', 'serve with no host module: play a recording to the pages in real time, looping, and answer their calls from it')
  .option('--mock <module>', 'with --replay: a host module whose handlers answer instead of the recording')
  .example('hise-webview serve ./webview --host ./host.ts --open')
  .example('hise-webview serve ./webview --host ./host.ts --record session.hwvrec')
  .example('hise-webview serve ./webview --replay session.hwvrec --mock ./mock.ts')
  .example('hise-webview serve ./webview --signal sine:scope --signal noise:noise')
  .example('hise-webview serve ./webview --port 8090 --shared')
  // Loaded only when serving, so --help and argument errors answer at once.
  .action(async (root: string, options: ServeOptions) => (await import('./serve-command.js')).serve(root, options));

cli
  .command('init [dir]', 'create a project: a page written the HISE way, a typed host module, a Vite config and a test')
  .option('--name <name>', 'package name (default: the folder name)')
  .option('--force', 'write into a folder that is not empty (existing files are never overwritten)')
  .option('-y, --yes', 'ask nothing: defaults and flags only (also when not in a terminal)')
  .example('hise-webview init my-webview')
  .example('hise-webview init . --force --name my-webview')
  .action(async (dir: string | undefined, options: InitOptions) => (await import('./init-command.js')).init(dir, options));

cli.help();
cli.version(packageVersion());

try {
  cli.parse(process.argv, { run: false });
  if (cli.options.help || cli.options.version) {
    // printed by cac
  } else if (cli.matchedCommand === undefined) {
    if (cli.args.length > 0) throw new DevError('INVALID_ARGUMENT', `unknown command: ${cli.args[0]} (see hise-webview --help)`);
    cli.outputHelp();
  } else {
    await cli.runMatchedCommand();
  }
} catch (error) {
  // Expected failures are one line (a host module's error adds its stack and code frame below); anything else is a bug worth its stack trace.
  const expected =
    error instanceof DevError || error instanceof WebViewError || (error as Error | undefined)?.name === 'CACError';
  console.error(`hise-webview: ${expected ? withDetails(error) : ((error as Error)?.stack ?? String(error))}`);
  process.exit(1);
}
