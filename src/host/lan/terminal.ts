import { renderUnicodeCompact } from 'uqr';
import type { LanHost, Pairing } from './lan.js';

/** The QR code of `text` for a terminal (two rows per line of Unicode half blocks). */
export function terminalQr(text: string): string {
  return renderUnicodeCompact(text, { border: 2 });
}

/**
 * What a terminal shows for a host's LAN and one pairing (the CLI's `serve --lan` and the demo
 * print it): where it listens, the QR code of the pairing URL (the code is in its fragment), the
 * certificate's fingerprint over HTTPS, and over plain HTTP a warning that others on the network can
 * read the traffic.
 */
export function lanBanner(lan: LanHost, pairing: Pairing): string[] {
  const lines = [`LAN: ${lan.url ?? ''} (${lan.addresses.join(', ')}); scan to pair a phone or tablet as ${pairing.role} (the code works once, for ${Math.round((pairing.expires - Date.now()) / 60_000)} minutes):`];
  lines.push(...terminalQr(pairing.url).split('\n'), `  or open ${pairing.url}`);
  if (lan.https) lines.push(`  certificate SHA-256 ${lan.fingerprint ?? ''}: check the phone shows the same before you trust it`);
  else lines.push('  warning: plain HTTP on the LAN: anyone on this network can read the traffic and take a device\'s cookie; use --https (docs/LAN.md)');
  return lines;
}
