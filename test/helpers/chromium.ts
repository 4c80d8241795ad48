import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/chromium-flags.mjs';

// The flags are written once, in scripts/chromium-flags.mjs (the benchmarks and scripts use them too).
export { CHROMIUM_PATH, CHROMIUM_FLAGS as CHROMIUM_ARGS, WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS } from '../../scripts/chromium-flags.mjs';

/** Launches Chromium, or fails with what to do: browser tests are never skipped. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Run \`npm run setup\` (installs Debian's chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
