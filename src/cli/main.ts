#!/usr/bin/env node
// `hise-webview`: develop a HISE webview in any browser against a live host.
import { cac } from 'cac';
import { colorsFor } from '../dev/colors.js';
import { DevError, withDetails } from '../dev/errors.js';
import { WebViewError } from '../host/errors.js';
import type { InitOptions } from './init-command.js';
import type { ProxyOptions } from './proxy-command.js';
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
  .option('--hise-strict', "behave as HISE does where a page could notice (its send cycle, cut text, dropped arrays, buffers, recompile state, page origin) and warn, with a code, at each limit HISE would break (docs/HISE-STRICT.md)")
  .option('--lan', 'also serve phones and tablets on the LAN, each paired by scanning a one-time QR code (docs/LAN.md)')
  .option('--lan-host <address>', 'with --lan: the LAN address to listen on (repeatable; default: every non-internal IPv4 address)')
  .option('--lan-role <role>', 'with --lan: what the printed code pairs a device as: control (default) or view (receives, cannot send or set)')
  .option('--lan-approve', 'with --lan: ask on the terminal before each device pairs')
  .option('--lan-ephemeral', 'with --lan: forget paired devices when the host stops (default: kept in a 0600 per-user file)')
  .option('--https', 'with --lan: serve the LAN over TLS with a self-signed certificate kept per user (its fingerprint is printed)')
  .option('--cert <file>', 'with --lan: your TLS certificate (PEM, e.g. made with mkcert); with --key')
  .option('--key <file>', 'with --lan: the key of --cert (PEM)')
  .option('--no-mdns', 'with --lan: do not announce the host by mDNS (_hise-webview._tcp)')
  .option('--record <file>', 'record the session (messages both ways, calls, with timing) to a file while serving')
  .option('--force', 'with --record: overwrite an existing file that is not a recording (a symbolic link is replaced, never followed)')
  .option('--record-max-bytes <n>', 'stop recording when the file would pass this size (default: 268435456, 256 MiB)')
  .option('--replay <file>', 'serve with no host module: play a recording to the pages in real time, looping, and answer their calls from it')
  .option('--mock <module>', 'with --replay: a host module whose handlers answer instead of the recording')
  .example('hise-webview serve ./webview --module ./host.ts --open')
  .example('hise-webview serve ./webview --module ./host.ts --record session.hwvrec')
  .example('hise-webview serve ./webview --replay session.hwvrec --mock ./mock.ts')
  .example('hise-webview serve ./webview --signal sine:scope --signal noise:noise')
  .example('hise-webview serve ./webview --module ./host.ts --hise-strict')
  .example('hise-webview serve ./webview --port 8090 --shared')
  .example('hise-webview serve ./webview --port 8090 --allow-file-pages --token-file .hise-token')
  // Loaded only when serving, so --help and argument errors answer at once.
  .action(async (root: string, options: ServeOptions) => (await import('./serve-command.js')).serve(root, options));

cli
  .command('proxy [root]', "serve a webview folder as serve does, connected to a running HISE: HISE's messages to the pages, theirs to HISE, each framed so the other reads it")
  .option('--hise <port>', "HISE's WebSocket port (its script's setEnableWebSocket(PORT)) on 127.0.0.1")
  .option('--port <n>', 'port the pages connect to (0: any free port)', { default: 0 })
  .option('--open', 'open the page in the default browser')
  .option('--images <dir>', "the project's images folder: serves HISE's {PROJECT_FOLDER}name.png references from it")
  .option('--inspect', "serve the live inspector page on the proxy's port and print its URL")
  .option('--token <secret>', 'token every connection must present: auto (default), none, or a secret')
  .option('--token-file <file>', 'read the token from a file (created with a random one, mode 0600, when missing)')
  .option('--allow-file-pages', 'admit pages opened from disk (file://); needs a token from --token-file or $HISE_WEBVIEW_TOKEN')
  .option('--allow-origin <origin>', 'admit pages of another origin of yours (repeatable)')
  .option('--max-pages <n>', 'pages connected at once (default: 64)')
  .option('--allow-host <name>', 'accept requests naming this host (repeatable)')
  .option('--record <file>', 'record the session (HISE\'s messages, the pages\' messages, with timing): replay it later with serve --replay, without HISE')
  .option('--force', 'with --record: overwrite an existing file that is not a recording')
  .option('--record-max-bytes <n>', 'stop recording when the file would pass this size (default: 268435456, 256 MiB)')
  .example('hise-webview proxy ./webview --hise 8123 --open')
  .example('hise-webview proxy ./webview --hise 8123 --inspect --record session.hwvrec')
  .action(async (root: string | undefined, options: ProxyOptions) => (await import('./proxy-command.js')).proxy(root, options));

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
