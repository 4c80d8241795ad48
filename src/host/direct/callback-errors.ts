/**
 * HISE's answer to a bound callback that fails: the page's promise resolves with `null` (it never
 * rejects) and the error goes to the log (`report`).
 */
export async function resolveNullOnError(run: () => unknown, report: (error: unknown) => void): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    report(error);
    return null;
  }
}
