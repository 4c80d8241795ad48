import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runToExit } from '../helpers/run-to-exit.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STARTUP_TIMEOUT_MS = 15_000;

/** The demo running as a user starts it: a real `node examples/demo/demo.mjs` process. */
export interface DemoProcess {
  child: ChildProcess;
  pageUrl: string;
  hostPort: number;
  output: string[];
  stop(): Promise<void>;
}

/** Starts the demo with `args` and resolves once it has printed its URLs. */
export async function startDemo(args: string[], env: Record<string, string> = {}): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['examples/demo/demo.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill(), STARTUP_TIMEOUT_MS);
  let pageUrl: string | undefined;
  let hostPort: number | undefined;
  try {
    for await (const line of lines) {
      output.push(line);
      hostPort ??= Number(/host\s+ws:\/\/localhost:(\d+)/.exec(line)?.[1] ?? NaN) || undefined;
      pageUrl ??= /page\s+(http:\/\/\S+)/.exec(line)?.[1];
      if (pageUrl !== undefined && hostPort !== undefined) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (pageUrl === undefined || hostPort === undefined) {
    throw new Error(`the demo did not print its URLs:\n${output.join('\n')}`);
  }
  lines.on('line', (line) => output.push(line)); // keep draining so the child never blocks on stdout
  return {
    child,
    pageUrl,
    hostPort,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the demo to completion (for argument errors) and returns its exit code and output. */
export function runDemo(args: string[]): ReturnType<typeof runToExit> {
  return runToExit('examples/demo/demo.mjs', args, ROOT);
}
