import { colorsFor } from './colors.js';

/** Where the development tools write: the CLI prints to the console, the Vite plugin to Vite's logger. */
export interface DevLogger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/**
 * A logger writing to stdout (info) and stderr (warnings, errors), each line prefixed; warnings and
 * errors carry their level (`warning:`, `error:`), in colour on a terminal (see {@link colorsFor}).
 */
export function consoleLogger(prefix = ''): DevLogger {
  const err = colorsFor(process.stderr);
  return {
    info: (line) => console.log(prefix + line),
    warn: (line) => console.warn(`${prefix}${err.yellow(err.bold('warning:'))} ${line}`),
    error: (line) => console.error(`${prefix}${err.red(err.bold('error:'))} ${line}`),
  };
}
