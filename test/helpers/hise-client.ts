/**
 * HISE's own client (`hisewebsocket-min.js`), never copied into the project: the interop tests read
 * it from the file `HISE_CLIENT_JS` names. Without it they are skipped, with this reason in their
 * title, so the summary counts them.
 */
export const HISE_CLIENT_JS: string | undefined = process.env.HISE_CLIENT_JS || undefined;

export const HISE_CLIENT_SKIP_REASON = "HISE_CLIENT_JS is not set (point it at HISE's hisewebsocket-min.js, e.g. ../shared/seed/hisewebsocket-min.js)";

/** `title`, with the skip reason when HISE's client is not given. */
export function hiseTitle(title: string): string {
  return HISE_CLIENT_JS ? title : `${title} (skipped: ${HISE_CLIENT_SKIP_REASON})`;
}
