import { createInterface } from 'node:readline';
import { DevError } from '../dev/errors.js';
import { lanBanner, type LanOptions, type PairingRequest, type WebView } from '../host/index.js';

/** The LAN flags of `serve` (docs/LAN.md). */
export interface LanFlags {
  lan?: boolean;
  lanHost?: unknown;
  lanRole?: unknown;
  lanApprove?: boolean;
  lanEphemeral?: boolean;
  https?: boolean;
  cert?: unknown;
  key?: unknown;
  /** cac's `--no-mdns`: false when given. */
  mdns?: boolean;
}

/**
 * The `lan` option the flags ask for, or undefined without `--lan` (then a LAN flag is an error:
 * nothing listens beyond loopback unless asked).
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export function lanOption(flags: LanFlags): LanOptions | undefined {
  const given = (['lanHost', 'lanRole', 'lanApprove', 'lanEphemeral', 'https', 'cert', 'key'] as const).filter((name) => flags[name] !== undefined && flags[name] !== false);
  if (flags.lan !== true) {
    if (given.length > 0 || flags.mdns === false) throw new DevError('INVALID_ARGUMENT', `--${kebab(given[0] ?? 'no-mdns')} needs --lan`);
    return undefined;
  }
  const role = flags.lanRole ?? 'control';
  if (role !== 'control' && role !== 'view') throw new DevError('INVALID_ARGUMENT', `--lan-role must be view or control, got ${JSON.stringify(role)}`);
  if ((flags.cert === undefined) !== (flags.key === undefined)) throw new DevError('INVALID_ARGUMENT', '--cert and --key go together (PEM files, e.g. made with mkcert)');
  for (const [name, value] of [['cert', flags.cert], ['key', flags.key], ['lan-host', flags.lanHost]] as const) {
    if (value !== undefined && (Array.isArray(value) ? value : [value]).some((item) => typeof item !== 'string' || item === '')) throw new DevError('INVALID_ARGUMENT', `--${name} needs a value`);
  }
  const https = flags.cert !== undefined ? { cert: String(flags.cert), key: String(flags.key) } : flags.https === true;
  return {
    ...(flags.lanHost === undefined ? {} : { host: (Array.isArray(flags.lanHost) ? flags.lanHost : [flags.lanHost]) as string[] }),
    role,
    https,
    approve: flags.lanApprove === true,
    ephemeral: flags.lanEphemeral === true,
    mdns: flags.mdns !== false,
  };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Prints the LAN banner (QR code, fingerprint or the plain-HTTP warning), a fresh QR code after
 * each pairing, and with `--lan-approve` asks on the terminal before a device pairs.
 */
export function printLan(webView: WebView, print: (line: string) => void = console.log): void {
  const lan = webView.lan;
  if (lan === undefined) return;
  for (const line of lanBanner(lan, lan.pair())) print(line);
  webView.on('paired', (device) => {
    print(`LAN: paired ${device.name} at ${device.address} as ${device.role} (id ${device.id}; wv.revoke(id) unpairs it). The next device:`);
    for (const line of lanBanner(lan, lan.pair()).slice(1)) print(line);
  });
  if (webView.options.lan?.approve === true) approveOnTerminal(webView, print);
}

function approveOnTerminal(webView: WebView, print: (line: string) => void): void {
  const waiting: PairingRequest[] = [];
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (answer) => {
    const request = waiting.shift();
    if (request === undefined) return;
    if (/^y(es)?$/i.test(answer.trim())) request.approve();
    else {
      request.deny();
      print(`LAN: refused ${request.name} at ${request.address}`);
    }
  });
  webView.on('pairing', (request) => {
    waiting.push(request);
    print(`LAN: pair ${request.name} at ${request.address} as ${request.role}? [y/N]`);
  });
}
