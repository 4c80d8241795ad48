// Stereo oscilloscope: both channels overlaid on one graticule, as on a hardware scope.
import { createView, crisp, cssColor, fitView } from './canvas.js';

const DIVISIONS_X = 10;
const DIVISIONS_Y = 8;

export function createScope(canvas) {
  const view = createView(canvas);
  const colors = { bg: cssColor('--panel'), grid: cssColor('--grid'), axis: '#2a3747', left: cssColor('--left'), right: cssColor('--right') };

  /** Draws the latest windows (or only the graticule before any arrive). */
  return function draw(left, right) {
    const { ctx, width, height, dpr } = fitView(view);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    drawGraticule(ctx, width, height, dpr, colors);
    if (left) trace(ctx, left, width, height, colors.left);
    if (right) trace(ctx, right, width, height, colors.right);
    ctx.font = '11px ui-sans-serif, system-ui, sans-serif';
    ctx.fillStyle = colors.left;
    ctx.fillText('L', 8, 16);
    ctx.fillStyle = colors.right;
    ctx.fillText('R', 20, 16);
  };
}

function drawGraticule(ctx, width, height, dpr, colors) {
  ctx.lineWidth = 1 / dpr;
  ctx.strokeStyle = colors.grid;
  ctx.beginPath();
  for (let i = 1; i < DIVISIONS_X; i++) {
    const x = crisp((i * width) / DIVISIONS_X, dpr);
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
  }
  for (let i = 1; i < DIVISIONS_Y; i++) {
    const y = crisp((i * height) / DIVISIONS_Y, dpr);
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.stroke();
  ctx.strokeStyle = colors.axis;
  ctx.beginPath();
  const mid = crisp(height / 2, dpr);
  ctx.moveTo(0, mid);
  ctx.lineTo(width, mid);
  ctx.stroke();
}

/** A soft wide stroke under a thin one: reads as a phosphor glow without shadowBlur's cost. */
function trace(ctx, samples, width, height, color) {
  const n = samples.length;
  const halfHeight = height * 0.46;
  const mid = height / 2;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const x = (i / (n - 1)) * width;
    const y = mid - Math.max(-1.05, Math.min(1.05, samples[i])) * halfHeight;
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.lineJoin = 'round';
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.18;
  ctx.lineWidth = 5;
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 1.4;
  ctx.stroke();
}
