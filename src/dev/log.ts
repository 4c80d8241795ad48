/** Where the development tools write: the CLI prints to the console, the Vite plugin to Vite's logger. */
export interface DevLogger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** A logger writing to stdout (info) and stderr (warnings, errors), each line prefixed. */
export function consoleLogger(prefix = ''): DevLogger {
  return {
    info: (line) => console.log(prefix + line),
    warn: (line) => console.warn(prefix + line),
    error: (line) => console.error(prefix + line),
  };
}
