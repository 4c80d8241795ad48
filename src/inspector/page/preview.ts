import type { Preview } from '../summary.js';
import { h } from './dom.js';

const SCOPE_WIDTH = 200;
const SCOPE_HEIGHT = 40;

/** A preview's element: an oscilloscope, a text box, or a collapsible tree. `open` keeps which tree nodes the user opened. */
export function renderPreview(preview: Preview, key: string, open: Set<string>): HTMLElement {
  switch (preview.kind) {
    case 'scope':
      return scope(preview);
    case 'text':
      return h('div', { class: 'text-preview', title: `${preview.length} characters` }, preview.text);
    case 'json':
      return tree(preview.value, key, 'value', open);
    default:
      return h('span', { class: 'dim' }, '—');
  }
}

function scope(preview: Extract<Preview, { kind: 'scope' }>): HTMLElement {
  const canvas = h('canvas', { class: 'scope', width: String(SCOPE_WIDTH), height: String(SCOPE_HEIGHT), 'data-points': String(preview.points.length) });
  canvas.title = `${preview.type}(${preview.length}) min ${preview.min.toPrecision(3)} max ${preview.max.toPrecision(3)}`;
  const context = canvas.getContext('2d');
  if (context === null) return canvas;
  const range = Math.max(Math.abs(preview.min), Math.abs(preview.max), 1e-9);
  const center = preview.min >= 0 ? SCOPE_HEIGHT - 2 : SCOPE_HEIGHT / 2;
  const scale = preview.min >= 0 ? (SCOPE_HEIGHT - 4) / range : (SCOPE_HEIGHT / 2 - 2) / range;
  context.strokeStyle = '#2c313b';
  context.beginPath();
  context.moveTo(0, center);
  context.lineTo(SCOPE_WIDTH, center);
  context.stroke();
  context.strokeStyle = '#5fb3ff';
  context.beginPath();
  const step = preview.points.length > 1 ? SCOPE_WIDTH / (preview.points.length - 1) : 0;
  preview.points.forEach((point, i) => {
    const y = center - point * scale;
    if (i === 0) context.moveTo(0, y);
    else context.lineTo(i * step, y);
  });
  context.stroke();
  return canvas;
}

function tree(value: unknown, key: string, label: string, open: Set<string>): HTMLElement {
  if (value === null || typeof value !== 'object') return h('div', { class: 'tree-leaf' }, `${label}: ${JSON.stringify(value)}`);
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value as Record<string, unknown>);
  const details = h('details', {}, h('summary', {}, `${label} ${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`));
  if (open.has(key)) details.open = true;
  details.addEventListener('toggle', () => (details.open ? open.add(key) : open.delete(key)));
  for (const [name, item] of entries) details.appendChild(tree(item, `${key}/${name}`, name, open));
  return details;
}
