#!/usr/bin/env node
// `npm start`: a host streaming live audio over HISE's WebView protocol to a scope page.
import { spawn } from 'node:child_process';
import cac from 'cac';
import { lanBanner, record } from 'hise-webview';
import { startDemoHost, FILE_SIGNAL } from './host.mjs';
import { SIGNALS } from './signal.mjs';
import { loadWav, WavError } from './wav-source.mjs';

/**
 * Preferred port when none is given (socket and page share it). Fixed rather than random so a page
 * left open reconnects after the demo restarts. Taken → any free port.
 */
export const DEFAULT_PORT = 4180;

const cli = cac('demo');
cli
  .option('--port <n>', `port of the host, which serves the socket and the page (default: ${DEFAULT_PORT}, or any free port when taken; 0: any free port)`)
  .option('--file <path>', 'play a WAV file (16/24/32-bit integer or 32-bit float, mono or stereo) instead of the synth')
  .option('--signal <name>', `start with this signal: ${[FILE_SIGNAL, ...SIGNALS].join(', ')}`)
  .option('--paused', 'start paused at 0:00')
  .option('--open', 'open the page in the default browser')
  .option('--quiet', 'print only the URL lines')
  .option('--lan', 'also serve phones and tablets on the LAN: prints a QR code to pair one (docs/LAN.md)')
  .option('--lan-host <address>', 'with --lan: the LAN address to listen on (default: every non-internal IPv4 address)')
  .option('--https', 'with --lan: serve the LAN over TLS with a self-signed certificate kept per user')
  .option('--record <file>', 'record the session to a file, for `hise-webview serve examples/demo/public --replay <file>`')
  .usage('[options]   (npm start -- [options])')
  .help()
  .example('npm start -- --file loop.wav --open');

try {
  const { args, options } = cli.parse();
  if (!options.help) {
    // cac checks flags only for commands; the demo has none, so it checks its own (as the CLI does).
    cli.globalCommand.checkUnknownOptions();
    if (args.length > 0) throw usageError(`unexpected argument: ${args[0]} (see --help)`);
    await main(options);
  }
} catch (error) {
  // Expected failures are one line; anything else is a bug worth its stack trace.
  const expected = error instanceof WavError || error.usage || error.name === 'CACError' || error.code === 'PORT_IN_USE';
  console.error(`demo: ${expected ? error.message : error.stack}`);
  process.exit(1);
}

async function main(options) {
  const chosePort = options.port !== undefined;
  const port = chosePort ? parsePort(options.port) : DEFAULT_PORT;
  const file = options.file === undefined ? undefined : await loadWav(String(options.file));
  const signals = file ? [FILE_SIGNAL, ...SIGNALS] : SIGNALS;
  if (options.signal !== undefined && !signals.includes(options.signal)) {
    throw usageError(`--signal must be one of ${signals.join(', ')}, got ${JSON.stringify(options.signal)}`);
  }
  const log = options.quiet ? () => {} : (line) => console.log(`  ${line}`);
  if ((options.https || options.lanHost !== undefined) && !options.lan) throw usageError(`--${options.https ? 'https' : 'lan-host'} needs --lan`);
  const lan = options.lan ? { https: Boolean(options.https), ...(options.lanHost === undefined ? {} : { host: String(options.lanHost) }) } : undefined;
  const start = (p) => startDemoHost({ port: p, file, signal: options.signal, paused: Boolean(options.paused), lan, log });

  let host;
  try {
    host = await start(port);
  } catch (error) {
    // Only the default port may fall back: a port the user chose and cannot have is an error.
    if (error.code !== 'PORT_IN_USE' || chosePort) throw error;
    host = await start(0);
  }
  const recording = options.record === undefined ? undefined : record(host.wv, String(options.record), { onStop: (s) => s.error && console.error(`demo: ${s.error.message}`) });
  const state = host.state();
  console.log(`hise-webview demo: ${file ? `${file.name}, ` : ''}${state.sampleRate} Hz, blocks of ${state.blockFrames}`);
  console.log(`  host  ws://localhost:${host.port}  (serves the page and /hisewebsocket-min.js)`);
  console.log(`  page  ${host.url}`);
  console.log(`Open ${host.url} in a browser. Ctrl+C stops.`);
  const lanHost = host.wv.lan;
  if (lanHost !== undefined) {
    for (const line of lanBanner(lanHost, lanHost.pair())) console.log(line);
    host.wv.on('paired', (device) => {
      console.log(`LAN: paired ${device.name} at ${device.address} as ${device.role}. The next device:`);
      for (const line of lanBanner(lanHost, lanHost.pair()).slice(1)) console.log(line);
    });
  }
  if (options.open) openBrowser(host.url);

  const stop = async () => {
    await host.close();
    recording?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function parsePort(value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

function usageError(message) {
  return Object.assign(new Error(message), { usage: true });
}

/** Best effort: a machine without a desktop keeps the demo running and just prints the URL. */
function openBrowser(url) {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => console.log(`  (could not run ${command}; open the URL yourself)`));
    child.unref();
  } catch {
    console.log(`  (could not open a browser; open the URL yourself)`);
  }
}
