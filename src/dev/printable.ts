/**
 * Characters a terminal acts on rather than shows, or that reorder or break what follows: C0
 * controls (ESC starts title, clipboard (OSC 52) and cursor sequences; CR and LF forge new log
 * lines), DEL, C1 controls (0x9B is a one-byte CSI on some terminals), the Unicode line and
 * paragraph separators, the bidirectional overrides and isolates (which make text display in
 * another order than it is), zero-width characters, and the backslash (so an escape written by
 * us cannot be confused with one a page typed).
 */
const UNPRINTABLE = /[\\\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `text` made safe to print on a terminal: every character above written as a visible escape
 * (`\x1b`, `\u202e`, `\\`), everything else unchanged. For anything a page supplied (ids, data,
 * origins, error messages quoting them) before it reaches a log line.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    if (char === '\\') return '\\\\';
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
