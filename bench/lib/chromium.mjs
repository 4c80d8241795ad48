// Launches Chromium as a plain child process: no DevTools protocol attached, so WebSocket frames are
// not mirrored into network events (which costs about 4x the frames/s at 512 floats).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM_FLAGS, CHROMIUM_PATH, NO_BACKGROUND_THROTTLING_FLAGS, PLAIN_PROCESS_FLAGS } from '../../scripts/chromium-flags.mjs';

export { CHROMIUM_PATH };

// Several pages in one browser (fan-out) must not be throttled as background tabs.
const BASE_FLAGS = [...PLAIN_PROCESS_FLAGS, ...CHROMIUM_FLAGS, ...NO_BACKGROUND_THROTTLING_FLAGS];

const live = new Set();
let hooked = false;

/** Kills every Chromium this process launched (also on errors and signals) and removes its profile. */
function killAll() {
  for (const browser of live) browser.kill();
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * Opens `urls` (one tab each) in a fresh headless Chromium with a throwaway profile.
 * @returns {{ pid: number, exited: Promise<number|null>, stderrTail: () => string, kill: () => void }}
 */
export function launchChromium(urls, { extraFlags = [] } = {}) {
  hookExit();
  const profile = mkdtempSync(join(tmpdir(), 'hise-bench-chromium-'));
  const child = spawn(CHROMIUM_PATH, [...BASE_FLAGS, ...extraFlags, `--user-data-dir=${profile}`, ...urls], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so kill() reaches the renderer and utility processes too
  });
  let tail = '';
  child.stderr.on('data', (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      tail += `\nspawn of ${CHROMIUM_PATH} failed: ${error.message} (set CHROMIUM_PATH)`;
      resolve(null); // a browser that never started has exited, as far as anyone waiting is concerned
    });
  });
  let killed = false;
  const browser = {
    pid: child.pid,
    exited,
    stderrTail: () => tail,
    kill() {
      if (killed) return;
      killed = true;
      live.delete(browser);
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
    /** Kills and waits for the process to exit, then removes the profile again (Chromium may write late). */
    async close() {
      browser.kill();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  live.add(browser);
  return browser;
}

/** `Chromium 156.0.8078.108 …` or undefined. */
export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
