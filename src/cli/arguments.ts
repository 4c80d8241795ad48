import { DevError } from '../dev/errors.js';
import { parseSignal, type SignalSpec } from '../dev/signals.js';

/** Highest TCP port. */
const MAX_PORT = 65535;

/**
 * A `--port` value: an integer 0–65535 (0: any free port); unset → 0.
 * @throws {DevError} `INVALID_ARGUMENT`
 */
export function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (typeof value === 'boolean' || !Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new DevError('INVALID_ARGUMENT', `--port must be an integer from 0 to ${MAX_PORT} (0: any free port), got ${JSON.stringify(value)}`);
  }
  return port;
}

/** A positive integer option such as `--block-size`; unset → `undefined`. */
export function parsePositiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value === 'boolean' || !Number.isInteger(number) || number <= 0) {
    throw new DevError('INVALID_ARGUMENT', `--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** `--signal` given once, several times, or not at all. */
export function parseSignals(value: unknown): SignalSpec[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => parseSignal(String(item)));
}

/** A folder option such as `--images <dir>`: a non-empty path, or unset → `undefined`. */
export function parseFolder(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new DevError('INVALID_ARGUMENT', `--${name} needs a folder`);
  return value;
}
