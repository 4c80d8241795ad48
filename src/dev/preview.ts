/** How many values or characters a preview shows. */
export const PREVIEW_ITEMS = 4;
export const PREVIEW_CHARS = 60;

/** A short, one-line description of a message: its type, its length and its first values. */
export function preview(data: unknown): string {
  if (typeof data === 'string') {
    const shown = data.length > PREVIEW_CHARS ? `${data.slice(0, PREVIEW_CHARS)}…` : data;
    return `string(${data.length}) ${JSON.stringify(shown)}`;
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const values = Array.from((data as unknown as ArrayLike<number>), Number).slice(0, PREVIEW_ITEMS);
    const more = (data as unknown as ArrayLike<number>).length > PREVIEW_ITEMS ? ', …' : '';
    return `${data.constructor.name}(${(data as unknown as ArrayLike<number>).length}) [${values.map(formatNumber).join(', ')}${more}]`;
  }
  if (Array.isArray(data)) return `array(${data.length}) ${truncate(safeJson(data))}`;
  if (data !== null && typeof data === 'object') return `object(${Object.keys(data).length} keys) ${truncate(safeJson(data))}`;
  return `${data === null ? 'null' : typeof data} ${String(data)}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function truncate(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
