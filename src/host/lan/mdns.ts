import type { ServiceConfig } from 'bonjour-service';

/** The DNS-SD service type the host announces: `_hise-webview._tcp`. */
export const SERVICE_TYPE = 'hise-webview';

/** One running announcement. */
export interface Announcement {
  stop(): Promise<void>;
}

/**
 * What the host announces by mDNS/DNS-SD: its instance name, port, and in TXT the scheme, the
 * pairing page's path and the protocol version; never a code or a token (anyone on the network reads it).
 */
export function serviceConfig(name: string, port: number, https: boolean): ServiceConfig {
  return { name, type: SERVICE_TYPE, protocol: 'tcp', port, txt: { path: '/', pair: '/__hise-webview/lan/pair', scheme: https ? 'https' : 'http', v: '1' } };
}

/** Starts announcing (bonjour-service, imported only then); `failed` gets the network's errors. */
export async function announce(config: ServiceConfig, failed: (error: Error) => void): Promise<Announcement> {
  const { Bonjour } = await import('bonjour-service');
  const bonjour = new Bonjour({}, (error: Error) => failed(error));
  const service = bonjour.publish(config);
  service.on('error', (error: Error) => failed(error));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
      }),
  };
}
