// Spectrum on a log-frequency axis, with display smoothing (fast rise, slow fall) and a peak line,
// both advanced by elapsed time so they look the same at 60 Hz and 144 Hz.
import { createView, crisp, cssColor, fitView } from './canvas.js';

const MIN_HZ = 20;
const MIN_DB = -100;
const MAX_DB = 0;
const FALL_DB_PER_S = 60;
const PEAK_FALL_DB_PER_S = 12;
const FREQ_LINES = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000];
const DB_LINES = [-20, -40, -60, -80];
const LEFT_GUTTER = 34;
const BOTTOM_GUTTER = 18;

export function createSpectrum(canvas) {
  const view = createView(canvas);
  const colors = { bg: cssColor('--panel'), grid: cssColor('--grid'), label: cssColor('--dim'), line: cssColor('--left'), peak: cssColor('--right') };
  let smooth;
  let peak;

  /** @param bins dBFS per FFT bin, or undefined before any arrive; sampleRate maps bins to Hz */
  return function draw(bins, sampleRate, dt) {
    const { ctx, width, height, dpr } = fitView(view);
    const plot = { x: LEFT_GUTTER, y: 4, w: width - LEFT_GUTTER - 8, h: height - BOTTOM_GUTTER - 4 };
    const maxHz = sampleRate / 2;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    drawGrid(ctx, plot, maxHz, dpr, colors);
    if (!bins) return;
    if (!smooth || smooth.length !== bins.length) {
      smooth = Float32Array.from(bins);
      peak = Float32Array.from(bins);
    }
    const fall = FALL_DB_PER_S * dt;
    const peakFall = PEAK_FALL_DB_PER_S * dt;
    for (let k = 0; k < bins.length; k++) {
      smooth[k] = bins[k] > smooth[k] ? bins[k] : Math.max(bins[k], smooth[k] - fall);
      peak[k] = Math.max(smooth[k], peak[k] - peakFall);
    }
    const hzPerBin = maxHz / bins.length;
    const path = curve(smooth, plot, hzPerBin, maxHz);
    const fill = ctx.createLinearGradient(0, plot.y, 0, plot.y + plot.h);
    fill.addColorStop(0, 'rgba(63, 210, 255, 0.45)');
    fill.addColorStop(1, 'rgba(63, 210, 255, 0.02)');
    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    const area = new Path2D(path);
    area.lineTo(plot.x + plot.w, plot.y + plot.h);
    area.lineTo(plot.x, plot.y + plot.h);
    ctx.fillStyle = fill;
    ctx.fill(area);
    ctx.strokeStyle = colors.line;
    ctx.lineWidth = 1.3;
    ctx.stroke(path);
    ctx.strokeStyle = colors.peak;
    ctx.globalAlpha = 0.55;
    ctx.lineWidth = 1;
    ctx.stroke(curve(peak, plot, hzPerBin, maxHz));
    ctx.globalAlpha = 1;
    ctx.restore();
  };
}

/**
 * One point per column. Where a column spans several bins (the top of a log axis) take their
 * max, so narrow peaks survive; where a bin spans several columns (the bottom), interpolate.
 */
function curve(db, plot, hzPerBin, maxHz) {
  const path = new Path2D();
  const columns = Math.max(2, Math.floor(plot.w));
  const last = db.length - 1;
  for (let c = 0; c <= columns; c++) {
    const from = hzAt((c - 0.5) / columns, maxHz) / hzPerBin;
    const to = hzAt((c + 0.5) / columns, maxHz) / hzPerBin;
    let value;
    if (Math.floor(to) - Math.ceil(from) >= 1) {
      value = -Infinity;
      for (let k = Math.ceil(from), end = Math.min(last, Math.floor(to)); k <= end; k++) if (db[k] > value) value = db[k];
    } else {
      const at = Math.min(last, hzAt(c / columns, maxHz) / hzPerBin);
      const k = Math.floor(at);
      value = db[k] + (db[Math.min(last, k + 1)] - db[k]) * (at - k);
    }
    const x = plot.x + (c / columns) * plot.w;
    const y = plot.y + ((MAX_DB - Math.max(MIN_DB, Math.min(MAX_DB, value))) / (MAX_DB - MIN_DB)) * plot.h;
    if (c === 0) path.moveTo(x, y);
    else path.lineTo(x, y);
  }
  return path;
}

function hzAt(fraction, maxHz) {
  return MIN_HZ * (maxHz / MIN_HZ) ** fraction;
}

function xOfHz(hz, plot, maxHz) {
  return plot.x + (Math.log(hz / MIN_HZ) / Math.log(maxHz / MIN_HZ)) * plot.w;
}

function drawGrid(ctx, plot, maxHz, dpr, colors) {
  ctx.lineWidth = 1 / dpr;
  ctx.strokeStyle = colors.grid;
  ctx.fillStyle = colors.label;
  ctx.font = '10px ui-sans-serif, system-ui, sans-serif';
  ctx.beginPath();
  ctx.textAlign = 'center';
  for (const hz of FREQ_LINES) {
    if (hz >= maxHz) continue;
    const x = crisp(xOfHz(hz, plot, maxHz), dpr);
    ctx.moveTo(x, plot.y);
    ctx.lineTo(x, plot.y + plot.h);
    ctx.fillText(hz >= 1000 ? `${hz / 1000}k` : String(hz), x, plot.y + plot.h + 13);
  }
  ctx.textAlign = 'right';
  for (const db of DB_LINES) {
    const y = crisp(plot.y + ((MAX_DB - db) / (MAX_DB - MIN_DB)) * plot.h, dpr);
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x + plot.w, y);
    ctx.fillText(String(db), plot.x - 6, y + 3);
  }
  ctx.stroke();
  ctx.textAlign = 'left';
}
