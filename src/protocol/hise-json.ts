// How HISE writes an object its script sends (HISE-BEHAVIOUR.md "WebSocket"): JSON text with a space
// after `:` and `,`. Shared by HISE-strict mode (what a page receives) and HISE mode's parameter
// messages (what must fit 125 bytes once HISE has written it).

/**
 * An object as HISE writes it to the page: JSON with a space after each `:` and `,` between
 * tokens (strings are left as they are).
 */
export function hiseJson(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    out += c;
    if (inString) {
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ':' || c === ',') out += ' ';
  }
  return out;
}
