import { consoleLogger, type DevLogger } from '../dev/log.js';
import { startDevHost, type DevHost } from '../dev/dev-host.js';
import { DevError } from '../dev/errors.js';
import { WebViewError, type WebViewOptions } from '../host/index.js';
import type { HostFunction } from '../dev/host-module.js';
import { parseFolder, parsePort, parsePositiveInteger, parseSignals } from './arguments.js';
import { parseTape, type TapeArguments } from './tape-arguments.js';
import { keepServingOnHostErrors } from './host-crashes.js';
import { openBrowser } from './open-browser.js';
import { isHiseWebviewHost } from './port-holder.js';
import { resolveToken, TOKEN_ENV, type ResolvedToken } from './token-source.js';
import { lanOption, printLan, type LanFlags } from './lan-flags.js';

/** The options of `hise-webview serve`, as cac parses them (`--record`, `--replay`, `--mock`: {@link TapeArguments}). */
export interface ServeOptions extends TapeArguments, LanFlags {
  module?: unknown;
  /** The old name of `--module` (deprecated). */
  host?: unknown;
  port?: unknown;
  open?: boolean;
  signal?: unknown;
  blockSize?: unknown;
  rate?: unknown;
  token?: unknown;
  tokenFile?: unknown;
  allowFilePages?: boolean;
  allowOrigin?: unknown;
  allowHost?: unknown;
  maxPages?: unknown;
  images?: unknown;
  inspect?: boolean;
  shared?: boolean;
  hiseStrict?: boolean;
}

/** What `hise-webview proxy` changes in `serve`: its host function instead of a module, and the WebView options it needs. */
export interface ServePlan {
  hostFunction: HostFunction;
  /** How the terminal names the host. */
  hostLine: string;
  webView: WebViewOptions;
}

/**
 * `hise-webview serve <root>`: serves `root` with the bridge injected, runs the host module (or the
 * inspector), prints the URL, and runs until SIGINT/SIGTERM.
 */
export async function serve(root: string | undefined, options: ServeOptions, plan?: ServePlan): Promise<void> {
  const log = consoleLogger('  ');
  const port = parsePort(options.port);
  const signals = parseSignals(options.signal);
  const blockSize = parsePositiveInteger('block-size', options.blockSize);
  const rate = parsePositiveInteger('rate', options.rate);
  const moduleFile = hostModuleFlag(options, log);
  const tape = await parseTape({ ...options, host: moduleFile }, log);
  const hostModule = tape.mock ?? moduleFile;
  const token = await resolveToken(options, log);
  const lan = lanOption(options);
  checkFilePages(options.allowFilePages === true, token);
  // From the module's first run on: a timer it starts may throw before the server is up.
  if (hostModule !== undefined) keepServingOnHostErrors(log);
  let host: DevHost;
  try {
    host = await startDevHost({
      root,
      hostModule,
      hostFunction: plan?.hostFunction,
      tape: tape.options,
      projectImages: parseFolder('images', options.images),
      port,
      inspector: { signals, blockSize, rate },
      webView: {
        token: token.token,
        shared: options.shared === true,
        allowFilePages: options.allowFilePages === true,
        allowedOrigins: repeatable('allow-origin', options.allowOrigin),
        allowedHosts: repeatable('allow-host', options.allowHost),
        maxPages: parsePositiveInteger('max-pages', options.maxPages),
        ...(options.hiseStrict === true ? { hise: 'strict' as const } : {}),
        ...plan?.webView,
        ...(lan === undefined ? {} : { lan }),
      },
      inspect: options.inspect === true,
      log,
    });
  } catch (error) {
    if (error instanceof WebViewError && error.code === 'PORT_IN_USE') throw await portInUse(port, options.shared === true, error);
    throw error;
  }
  const instances = host.webView.instances;
  // Shared: pages load from the shared port (the hub serves them), whichever instance this is.
  const url = instances === undefined ? host.url : `http://127.0.0.1:${host.port}/`;
  console.log(root === undefined ? `hise-webview: host at ${url}` : `hise-webview: serving ${root} at ${url}`);
  if (instances !== undefined) {
    const own = instances.role === 'hub' ? '' : ` (the hub serves its root there; this instance's own: ${host.url})`;
    console.log(`  shared port ${host.port}: ${instances.role === 'hub' ? 'holding it as the hub' : `joined the hub ${instances.hub}`} as instance ${instances.self}${own}`);
    instances.on('role', (role) => console.log(`  shared port ${host.port}: now ${role === 'hub' ? 'the hub' : `a member of hub ${instances.hub}`}`));
  }
  const hostLine = plan !== undefined ? plan.hostLine : tape.mock !== undefined ? `replay with mock ${tape.mock}` : tape.options.replay !== undefined ? 'replay (no host module)' : moduleFile === undefined ? 'stand-in (no --module)' : moduleFile;
  console.log(`  host ${hostLine}; pages reload when files change. Ctrl+C stops.`);
  if (options.allowFilePages === true) {
    console.log(`  pages from disk (file://) are admitted with the token from ${token.source === 'file' ? String(options.tokenFile) : token.source === 'env' ? `$${TOKEN_ENV}` : '--token'}: ws://localhost:${host.port}/?token=…`);
  }
  printLan(host.webView);
  if (host.inspectorUrl !== undefined) console.log(`hise-webview: inspector at ${host.inspectorUrl} (its token is in the URL: keep it to yourself)`);
  if (options.open) openBrowser(url);
  if (options.open && host.inspectorUrl !== undefined) openBrowser(host.inspectorUrl);
  stopOnSignals(host);
}

/** `--module`, or its old name `--host` (with a warning); not both. */
function hostModuleFlag(options: ServeOptions, log: DevLogger): string | undefined {
  const { module, host } = options;
  if (module !== undefined && host !== undefined) throw new DevError('INVALID_ARGUMENT', '--host is the old name of --module: give only --module');
  if (host !== undefined) log.warn('--host is deprecated (in Vite, --host exposes the server on the network): use --module <file>');
  const value = module ?? host;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new DevError('INVALID_ARGUMENT', '--module needs a file: the host module (.ts, .js or .mjs)');
  return value;
}

/** Pages from disk need a token the page can be given: one from a file or the environment (or, warned, the command line). */
function checkFilePages(allow: boolean, token: ResolvedToken): void {
  if (!allow || token.source === 'file' || token.source === 'env' || token.source === 'argument') return;
  throw new DevError(
    'INVALID_ARGUMENT',
    `--allow-file-pages needs a token your page from disk can present (any web site can make a page whose Origin is null): --token-file <file> (created when missing) or ${TOKEN_ENV}`,
  );
}

/** A flag given once, several times, or not at all, as a list of non-empty strings. */
function repeatable(name: string, value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => {
    if (typeof item !== 'string' || item === '') throw new DevError('INVALID_ARGUMENT', `--${name} needs a value`);
    return item;
  });
}

/** One sentence for a port that is taken: by another hise-webview host (then `--shared` is the way), or by something else. */
async function portInUse(port: number, shared: boolean, error: WebViewError): Promise<WebViewError> {
  if (shared) {
    return new WebViewError('PORT_IN_USE', `port ${port} is in use by a program that is not a hise-webview host of yours: choose another with --port, or --port 0 for any free port`, { cause: error });
  }
  if (await isHiseWebviewHost(port)) {
    return new WebViewError('PORT_IN_USE', `port ${port} is in use by another hise-webview host: add --shared (to both) to share it, or choose another with --port`, { cause: error });
  }
  return new WebViewError('PORT_IN_USE', `port ${port} is in use: choose another with --port, or --port 0 for any free port`, { cause: error });
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
