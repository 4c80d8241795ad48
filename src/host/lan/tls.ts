import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { WebViewError } from '../errors.js';
import type { ResolvedLanOptions } from './lan-options.js';
import type { PrivateDirectory } from './private-file.js';

/** The LAN's TLS: the PEMs it serves and the certificate's fingerprints. */
export interface LanTls {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate (colon-separated hex, as browsers show it). */
  readonly fingerprint: string;
  /** SHA-256 of its public key (base64), e.g. for Chromium's `--ignore-certificate-errors-spki-list`. */
  readonly spki: string;
  /** Whether it was generated (self-signed) rather than given. */
  readonly generated: boolean;
}

const CERT_FILE = 'lan-cert.pem';
const KEY_FILE = 'lan-key.pem';
const MAX_PEM_BYTES = 64 * 1024;
/** Days a generated certificate lasts; it is made again when it ends or no longer names the addresses. */
const GENERATED_DAYS = 365;

/**
 * The certificate of `https`: the user's PEM files, or a self-signed one generated once (with the
 * LAN addresses in its names) and kept in the private directory, made again when it has expired or
 * the addresses changed. `selfsigned` is imported only then.
 * @throws {WebViewError} `LAN_TLS_FAILED`
 */
export async function loadTls(https: ResolvedLanOptions['https'], addresses: readonly string[], directory: PrivateDirectory): Promise<LanTls | undefined> {
  if (https === false) return undefined;
  try {
    if (https !== 'generate') return describe(await readFile(https.cert, 'utf8'), await readFile(https.key, 'utf8'), false);
    const cert = directory.read(CERT_FILE, MAX_PEM_BYTES)?.toString('utf8');
    const key = directory.read(KEY_FILE, MAX_PEM_BYTES)?.toString('utf8');
    if (cert !== undefined && key !== undefined && stillGood(cert, addresses)) return describe(cert, key, true);
    const made = await generate(addresses);
    directory.write(KEY_FILE, made.key);
    directory.write(CERT_FILE, made.cert);
    return describe(made.cert, made.key, true);
  } catch (error) {
    if (error instanceof WebViewError && error.code !== 'LAN_TLS_FAILED') throw error;
    throw new WebViewError('LAN_TLS_FAILED', `cannot set up HTTPS for the LAN: ${(error as Error).message}`, { cause: error });
  }
}

async function generate(addresses: readonly string[]): Promise<{ cert: string; key: string }> {
  const { generate: selfsigned } = await import('selfsigned').catch((error: unknown) => {
    // An optional peer (7 MB with its ASN.1 stack, for this one use): say how to get it, or not need it.
    throw new WebViewError('LAN_TLS_FAILED', 'a self-signed certificate needs the package selfsigned: npm i -D selfsigned, or give your own with --cert/--key (e.g. made with mkcert)', { cause: error });
  });
  const notAfterDate = new Date(Date.now() + GENERATED_DAYS * 86_400_000);
  const altNames = [{ type: 2 as const, value: 'localhost' }, ...addresses.map((ip) => ({ type: 7 as const, ip }))];
  const made = await selfsigned([{ name: 'commonName', value: 'hise-webview LAN' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: made.cert, key: made.private };
}

function stillGood(cert: string, addresses: readonly string[]): boolean {
  try {
    const x509 = new X509Certificate(cert);
    const names = x509.subjectAltName ?? '';
    return new Date(x509.validTo).getTime() > Date.now() + 86_400_000 && addresses.every((ip) => names.includes(`IP Address:${ip}`));
  } catch {
    return false;
  }
}

function describe(cert: string, key: string, generated: boolean): LanTls {
  const x509 = new X509Certificate(cert);
  const spkiDer = x509.publicKey.export({ type: 'spki', format: 'der' });
  return { cert, key, fingerprint: x509.fingerprint256, spki: createHash('sha256').update(spkiDer).digest('base64'), generated };
}
