// A hand-written grouped bar chart: frames/s per client, grouped by frame size, MB/s on each bar.
const COLORS = { 'raw-ws': '#7f7f7f', 'drop-in': '#1f77b4', modern: '#2ca02c', 'socket-io': '#ff7f0e', 'hise-stock': '#d62728' };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function throughputSvg(rows, machine) {
  const data = rows.filter((r) => r.scenario === 'throughput' && Number.isFinite(r.framesPerSec));
  const sizes = [...new Set(data.map((r) => r.floats))].sort((a, b) => a - b);
  const clients = [...new Set(data.map((r) => r.client))];
  const W = 760;
  const H = 380;
  const left = 70;
  const right = 20;
  const top = 50;
  const bottom = 60;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const maxFps = Math.max(1, ...data.map((r) => r.framesPerSec));
  const step = 10 ** Math.floor(Math.log10(maxFps)) / 2;
  const yMax = Math.ceil(maxFps / step) * step;
  const y = (v) => top + plotH - (v / yMax) * plotH;
  const groupW = plotW / Math.max(1, sizes.length);
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, clients.length));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">Host → page throughput (frames/s; MB/s on bars), headless Chromium</text>`,
    `<text x="${W / 2}" y="36" text-anchor="middle" fill="#555">${esc(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.chromium}; median of runs`)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += yMax / 5) {
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
  }
  parts.push(`<text transform="translate(16 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">frames/s</text>`);
  sizes.forEach((floats, g) => {
    const x0 = left + g * groupW + (groupW - barW * clients.length) / 2;
    clients.forEach((client, i) => {
      const row = data.find((r) => r.client === client && r.floats === floats);
      if (!row) return;
      const x = x0 + i * barW;
      parts.push(`<rect x="${x + 1}" y="${y(row.framesPerSec)}" width="${barW - 2}" height="${top + plotH - y(row.framesPerSec)}" fill="${COLORS[client] ?? '#999'}"><title>${esc(`${client}, ${floats} floats: ${row.framesPerSec} frames/s, ${row.mbPerSec} MB/s`)}</title></rect>`);
      parts.push(`<text x="${x + barW / 2}" y="${y(row.framesPerSec) - 3}" text-anchor="middle" font-size="9">${row.mbPerSec}</text>`);
    });
    parts.push(`<text x="${left + g * groupW + groupW / 2}" y="${top + plotH + 16}" text-anchor="middle">${floats} floats</text>`);
  });
  clients.forEach((client, i) => {
    const x = left + i * 130;
    parts.push(`<rect x="${x}" y="${H - 24}" width="12" height="12" fill="${COLORS[client] ?? '#999'}"/><text x="${x + 16}" y="${H - 14}">${esc(client)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
