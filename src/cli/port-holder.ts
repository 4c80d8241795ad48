import { request } from 'node:http';

/** Milliseconds the probe waits for the holder of a port to answer. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * Whether what holds `port` on loopback is a hise-webview host: every answer of one carries a
 * `frame-ancestors` policy naming HISE's webview origin (`choc://choc.choc`), which is what a plain
 * `serve` uses to suggest `--shared` instead of only "in use".
 */
export function isHiseWebviewHost(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ host: '127.0.0.1', port, path: '/favicon.ico', method: 'HEAD', timeout: PROBE_TIMEOUT_MS }, (response) => {
      const policy = response.headers['content-security-policy'];
      response.resume();
      resolve(typeof policy === 'string' && policy.includes('choc://choc.choc'));
    });
    probe.on('timeout', () => probe.destroy());
    probe.on('error', () => resolve(false));
    probe.end();
  });
}
