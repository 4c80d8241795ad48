import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** Runs a Node script to completion (for `--help` and argument errors) and returns its exit code and output. */
export async function runToExit(script: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': a process may exit before its output has been read from the pipes (an empty stdout, seen under load).
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
