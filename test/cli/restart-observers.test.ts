import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HostRunner } from '../../src/dev/host-runner.js';
import type { DevLogger } from '../../src/dev/log.js';
import { WebView } from '../../src/host/index.js';

// A host module that observes the WebView and mounts a tool on its port is fully undone when the
// dev server restarts it: after each restart exactly one observer (the new run's) sees a message,
// and exactly one of the runs' tools answers (a second mount at the same path would make the run fail).

const RESTART_TIMEOUT_MS = 20_000;
const RESTARTS = 3;
const errors: string[] = [];
const log: DevLogger = { info: () => undefined, warn: (line) => errors.push(line), error: (line) => errors.push(line) };
let dir: string;
let webView: WebView;
let runner: HostRunner;
let port: number;

interface Probe {
  version?: number;
  seen: number[];
}
const probe = (): Probe => ((globalThis as { __restartObservers?: Probe }).__restartObservers ??= { seen: [] });

function hostModule(version: number): string {
  return `export default function host(wv: any): void {
  const probe = (globalThis as any).__restartObservers;
  wv.observe((observation: any) => { if (observation.type === 'send' && observation.id === 'probe') probe.seen.push(${version}); });
  wv.mount('/__hise-webview/probe/', { request: (_request: unknown, response: any) => response.end('v${version}') });
  wv.mount('/__hise-webview/probe-${version}/', { request: (_request: unknown, response: any) => response.end('v${version}') });
  probe.version = ${version};
}
`;
}

/** The runs whose tools answer now, of versions 1 to `last`. */
async function mountedVersions(last: number): Promise<number[]> {
  const answering: number[] = [];
  for (let version = 1; version <= last; version++) {
    const response = await fetch(`http://127.0.0.1:${port}/__hise-webview/probe-${version}/`);
    await response.arrayBuffer();
    if (response.status === 200) answering.push(version);
  }
  return answering;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hise-restart-observers-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'host.ts'), hostModule(1));
  probe();
  webView = new WebView();
  port = await webView.setEnableWebSocket(0);
  runner = new HostRunner(webView, log, dir);
  await runner.runModule(join(dir, 'host.ts'));
});
afterAll(async () => {
  await runner?.close();
  await webView?.close();
  await rm(dir, { recursive: true, force: true });
});

it(`restarted ${RESTARTS} times, a module's observers and mounted tools are its latest run's only`, async () => {
  for (let version = 1; version <= RESTARTS + 1; version++) {
    if (version > 1) await writeFile(join(dir, 'host.ts'), hostModule(version));
    await expect.poll(() => probe().version, { timeout: RESTART_TIMEOUT_MS }).toBe(version);
    probe().seen = [];
    webView.send('probe', 'x');
    expect(probe().seen).toEqual([version]); // one observer: this run's
    expect(await mountedVersions(version)).toEqual([version]); // one versioned tool: this run's
    const shared = await fetch(`http://127.0.0.1:${port}/__hise-webview/probe/`);
    expect(await shared.text()).toBe(`v${version}`);
  }
  expect(errors).toEqual([]);
});
