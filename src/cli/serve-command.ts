import { consoleLogger } from '../dev/log.js';
import { startDevHost, type DevHost } from '../dev/dev-host.js';
import { WebViewError } from '../host/index.js';
import { parseFolder, parsePort, parsePositiveInteger, parseSignals, parseToken } from './arguments.js';
import { parseTape, type TapeArguments } from './tape-arguments.js';
import { keepServingOnHostErrors } from './host-crashes.js';
import { openBrowser } from './open-browser.js';

/** The options of `hise-webview serve`, as cac parses them (`--record`, `--replay`, `--mock`: {@link TapeArguments}). */
export interface ServeOptions extends TapeArguments {
  host?: string;
  port?: unknown;
  open?: boolean;
  signal?: unknown;
  blockSize?: unknown;
  rate?: unknown;
  token?: unknown;
  images?: unknown;
}

/**
 * `hise-webview serve <root>`: serves `root` with the bridge injected, runs the host module (or the
 * inspector), prints the URL, and runs until SIGINT/SIGTERM.
 */
export async function serve(root: string, options: ServeOptions): Promise<void> {
  const port = parsePort(options.port);
  const signals = parseSignals(options.signal);
  const blockSize = parsePositiveInteger('block-size', options.blockSize);
  const rate = parsePositiveInteger('rate', options.rate);
  const log = consoleLogger('  ');
  const tape = await parseTape(options, log);
  const hostModule = tape.mock ?? options.host;
  // From the module's first run on: a timer it starts may throw before the server is up.
  if (hostModule !== undefined) keepServingOnHostErrors(log);
  let host: DevHost;
  try {
    host = await startDevHost({
      root,
      hostModule,
      tape: tape.options,
      projectImages: parseFolder('images', options.images),
      port,
      inspector: { signals, blockSize, rate },
      webView: { token: parseToken(options.token) },
      log,
    });
  } catch (error) {
    if (error instanceof WebViewError && error.code === 'PORT_IN_USE') {
      throw new WebViewError('PORT_IN_USE', `port ${port} is in use: choose another with --port, or --port 0 for any free port`);
    }
    throw error;
  }
  console.log(`hise-webview: serving ${root} at ${host.url}`);
  const hostLine = tape.mock !== undefined ? `replay with mock ${tape.mock}` : tape.options.replay !== undefined ? 'replay (no host module)' : options.host === undefined ? 'inspector (no --host)' : options.host;
  console.log(`  host ${hostLine}; pages reload when files change. Ctrl+C stops.`);
  if (options.open) openBrowser(host.url);
  stopOnSignals(host);
}

function stopOnSignals(host: DevHost): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    host.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
