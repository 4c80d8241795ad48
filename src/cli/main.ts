#!/usr/bin/env node
// `hise-webview`: develop a HISE webview in any browser against a live host.
import { cac } from 'cac';
import { colorsFor } from '../dev/colors.js';
import { DevError, withDetails } from '../dev/errors.js';
import { WebViewError } from '../host/errors.js';
import type { InitOptions } from './init-command.js';
import type { ServeOptions } from './serve-command.js';
import { checkArguments, checkOptions, unknownCommand } from './usage.js';
import { packageVersion } from './version.js';

const PROGRAM = 'hise-webview';
const cli = cac(PROGRAM);

cli
  .command('serve <root>', 'serve a webview folder (or its index.html) with the bridge injected, reload pages on change')
  .option('--module <file>', 'host module (.ts, .js or .mjs) exporting a function that receives the WebView; restarted when it changes')
  .option('--host <file>', 'old name of --module (deprecated: Vite\'s --host means something else)')
  .option('--port <n>', 'port of the host (0: any free port)', { default: 0 })
  .option('--open', 'open the page in the default browser')
  .option('--signal <kind:id>', 'without --module: stream a test signal (sine or noise) to an id, e.g. sine:scope (repeatable)')
  .option('--block-size <n>', 'samples per signal block (default: 512)')
  .option('--rate <hz>', 'signal blocks per second (default: 60)')
  .option('--images <dir>', "the project's images folder: serves HISE's {PROJECT_FOLDER}name.png references from it")
  .option('--inspect', 'serve the live inspector page on the host\'s port and print its URL (it carries its own token)')
  .option('--shared', 'share --port with other hise-webview hosts of this user: the first holds it, the others join, one takes over when it goes')
  .option('--token <secret>', 'token every connection must present: auto (default: random per launch, put into served pages), none, or a secret (seen in the process list: prefer --token-file)')
  .option('--token-file <file>', 'read the token from a file (created with a random one, mode 0600, when missing); else $HISE_WEBVIEW_TOKEN is read')
  .option('--allow-file-pages', 'admit pages opened from disk (file://, Origin null, as HISE loads them); needs a token from --token-file or $HISE_WEBVIEW_TOKEN')
  .option('--allow-origin <origin>', 'admit pages of another origin of yours, e.g. http://192.168.1.5:5173 (repeatable; loopback pages need nothing)')
  .option('--max-pages <n>', 'pages connected at once (default: 64); one more is refused with 4503')
  .option('--allow-host <name>', 'accept requests naming this host (a name of yours for this machine; repeatable)')
  .option('--record <file>', 'record the session (messages both ways, calls, with timing) to a file while serving')
  .option('--force', 'with --record: overwrite an existing file that is not a recording (a symbolic link is replaced, never followed)')
  .option('--record-max-bytes <n>', 'stop recording when the file would pass this size (default: 268435456, 256 MiB)')
  .option('--replay <file>', 'serve with no host module: play a recording to the pages in real time, looping, and answer their calls from it')
  .option('--mock <module>', 'with --replay: a host module whose handlers answer instead of the recording')
  .example('hise-webview serve ./webview --module ./host.ts --open')
  .example('hise-webview serve ./webview --module ./host.ts --record session.hwvrec')
  .example('hise-webview serve ./webview --replay session.hwvrec --mock ./mock.ts')
  .example('hise-webview serve ./webview --signal sine:scope --signal noise:noise')
  .example('hise-webview serve ./webview --port 8090 --shared')
  .example('hise-webview serve ./webview --port 8090 --allow-file-pages --token-file .hise-token')
  // Loaded only when serving, so --help and argument errors answer at once.
  .action(async (root: string, options: ServeOptions) => (await import('./serve-command.js')).serve(root, options));

cli
  .command('init [dir]', 'create a project: a page (the HISE way, or React, Svelte, Vue), a typed host module, a Vite config and a test')
  .option('--name <name>', 'package name (default: the folder name)')
  .option('--template <name>', 'vanilla (default: a page written the HISE way), react, svelte or vue; asked in a terminal')
  .option('--force', 'write into a folder that is not empty (existing files are never overwritten)')
  .option('-y, --yes', 'ask nothing: defaults and flags only (also when not in a terminal)')
  .example('hise-webview init my-webview')
  .example('hise-webview init my-webview --template react')
  .example('hise-webview init . --force --name my-webview')
  .action(async (dir: string | undefined, options: InitOptions) => (await import('./init-command.js')).init(dir, options));

cli.help();
cli.version(packageVersion());

try {
  cli.parse(process.argv, { run: false });
  const command = cli.matchedCommand;
  if (cli.options.help || cli.options.version) {
    // printed by cac
  } else if (command === undefined) {
    if (cli.args.length > 0) throw unknownCommand(cli.args[0]!, cli.commands.map((c) => c.name).filter(Boolean), PROGRAM);
    cli.outputHelp();
  } else {
    checkOptions(process.argv.slice(2), command, PROGRAM);
    checkArguments(command, cli.args, PROGRAM);
    await cli.runMatchedCommand();
  }
} catch (error) {
  // Expected failures are one line (a host module's error adds its stack and code frame below); anything else is a bug worth its stack trace.
  const expected =
    error instanceof DevError || error instanceof WebViewError || (error as Error | undefined)?.name === 'CACError';
  const red = colorsFor(process.stderr);
  console.error(`${red.red(red.bold(`${PROGRAM}:`))} ${expected ? withDetails(error) : ((error as Error)?.stack ?? String(error))}`);
  process.exit(1);
}
