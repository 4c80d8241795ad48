import { reportError } from '../dev/error-report.js';
import type { DevLogger } from '../dev/log.js';

/**
 * Keeps `serve` running when the host module throws outside any call the host made (a timer, a
 * socket of its own, a promise nobody awaited): the error is logged with its place, trimmed stack
 * and code frame, and the next save restarts the module as usual. An error that does not come from
 * the project's files is a bug of the tools: it is printed whole and the process exits 1.
 * @returns a function that removes the handlers
 */
export function keepServingOnHostErrors(log: DevLogger): () => void {
  const onError = (error: unknown): void => {
    void reportError(error).then(
      (report) => {
        if (!report.inProject) {
          console.error(`hise-webview: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exit(1);
        }
        const lines = [`host module error: ${report.headline} (still serving; save a file to restart the module)`];
        if (report.details !== undefined) lines.push(report.details);
        log.error(lines.join('\n'));
      },
      () => process.exit(1),
    );
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
