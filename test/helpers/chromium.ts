import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium the browser tests drive: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Chromium (since 141) blocks a public site's requests to localhost by itself ("Local Network
 * Access"). Other browsers and embedded webviews do not, so the host's own Origin check is what
 * protects users; tests of that check turn Chromium's off to see the host's answer.
 */
export const WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS = ['--disable-features=LocalNetworkAccessChecks'];

/** Launches Chromium, or fails with what to do: browser tests are never skipped. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Run \`npm run setup\` (installs Debian's chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
