// Terminal table of result rows.
const COLUMNS = [
  ['scenario', 'scenario'],
  ['client', 'client'],
  ['floats', 'floats'],
  ['framesPerSec', 'frames/s'],
  ['mbPerSec', 'MB/s'],
  ['ratioToRaw', 'x raw'],
  ['ratioToCopy', 'x copy'],
  ['p50Ms', 'p50 ms'],
  ['p99Ms', 'p99 ms'],
  ['maxMs', 'max ms'],
  ['note', 'note'],
];

function cell(row, key) {
  const v = row[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v.toFixed(2);
  return String(v);
}

export function printRows(rows, out = console.log) {
  const used = COLUMNS.filter(([key]) => rows.some((r) => r[key] !== undefined && r[key] !== null));
  const table = rows.map((r) => used.map(([key]) => cell(r, key)));
  const widths = used.map(([, title], i) => Math.max(title.length, ...table.map((t) => t[i].length)));
  const line = (cells) => cells.map((c, i) => (i >= 2 && i < cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  out(line(used.map(([, title]) => title)));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) out(line(t));
}
