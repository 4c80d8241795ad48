/** Reports an error the way an uncaught one would be (console, `window.onerror`), without stopping the caller's loop. */
export function reportError(error: unknown): void {
  setTimeout(() => {
    throw error;
  });
}
