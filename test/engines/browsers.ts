import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

// The three engines HISE's webview and its users run pages in, each launched as a plain process
// with a fresh profile (playwright-core cannot drive Firefox ESR nor WebKitGTK here): the pages
// report what they saw over HTTP (report-server.ts), and the process is killed afterwards.

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface Engine {
  name: EngineName;
  /** What runs the browser; `undefined` when it is not installed. */
  executable: string | undefined;
  /** Why it cannot run here (for the skip reason), or undefined. */
  missing: string | undefined;
  /** The engine's version, as its package or binary tells it. */
  version(): string;
  /** Starts the browser on `url` with a fresh profile. */
  launch(url: string): Launched;
}

export interface Launched {
  process: ChildProcess;
  /** Everything it printed (for a failure message). */
  output: () => string;
  /** Kills the browser and everything it started (its process group), and removes its profile. */
  kill(): Promise<void>;
}

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_RUN = '/usr/bin/xvfb-run';

function firstLine(command: string, args: string[]): string {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n')[0] ?? '';
}

/** Starts `command` in its own process group, so that kill() ends its children too (Xvfb, content processes). */
function start(command: string, args: string[], profile: string, env: NodeJS.ProcessEnv = {}): Launched {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < 64 * 1024) output += chunk.toString();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL'); // the group this browser leads, started above: nothing else
        } catch {
          // already gone
        }
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function profileDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `hwv-${name}-`));
}

const FIREFOX_PREFS: Record<string, string | boolean | number> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.policy.firstRunURL': '',
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'extensions.update.enabled': false,
  'browser.tabs.warnOnClose': false,
  'network.proxy.type': 0,
};

export const ENGINES: Engine[] = [
  {
    name: 'chromium',
    executable: existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : undefined,
    missing: existsSync(CHROMIUM_PATH) ? undefined : `Chromium not found at ${CHROMIUM_PATH} (npm run setup)`,
    version: () => firstLine(CHROMIUM_PATH, ['--version']),
    launch(url) {
      const profile = profileDir('chromium');
      return start(CHROMIUM_PATH, ['--headless', ...CHROMIUM_ARGS, `--user-data-dir=${profile}`, url], profile);
    },
  },
  {
    name: 'firefox',
    executable: existsSync(FIREFOX_PATH) ? FIREFOX_PATH : undefined,
    missing: existsSync(FIREFOX_PATH) ? undefined : `Firefox ESR not found at ${FIREFOX_PATH} (npm run setup installs firefox-esr)`,
    version: () => firstLine(FIREFOX_PATH, ['--version']),
    launch(url) {
      const profile = profileDir('firefox');
      const prefs = Object.entries(FIREFOX_PREFS).map(([key, value]) => `user_pref(${JSON.stringify(key)}, ${JSON.stringify(value)});`);
      writeFileSync(join(profile, 'user.js'), `${prefs.join('\n')}\n`);
      return start(FIREFOX_PATH, ['--headless', '--no-remote', '--profile', profile, url], profile, { MOZ_CRASHREPORTER_DISABLE: '1' });
    },
  },
  {
    name: 'webkit',
    executable: existsSync(MINIBROWSER_PATH) && existsSync(XVFB_RUN) ? MINIBROWSER_PATH : undefined,
    missing: !existsSync(MINIBROWSER_PATH)
      ? `WebKitGTK's MiniBrowser not found at ${MINIBROWSER_PATH} (npm run setup installs libwebkit2gtk-4.1-0)`
      : !existsSync(XVFB_RUN)
        ? 'xvfb-run not found (npm run setup installs xvfb and xauth)'
        : undefined,
    version: () => {
      const pkg = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
      return `WebKitGTK ${pkg.status === 0 ? pkg.stdout.trim() : '(version unknown)'} MiniBrowser`;
    },
    launch(url) {
      // MiniBrowser has no headless mode: it gets a private X server of its own. --private keeps
      // nothing; HOME and the XDG folders point into a fresh directory all the same.
      const profile = profileDir('webkit');
      const env = { HOME: profile, XDG_CONFIG_HOME: join(profile, 'config'), XDG_CACHE_HOME: join(profile, 'cache'), XDG_DATA_HOME: join(profile, 'data') };
      return start(XVFB_RUN, ['-a', '-s', '-screen 0 1280x1024x24', MINIBROWSER_PATH, '--private', url], profile, env);
    },
  },
];
