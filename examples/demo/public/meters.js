// Peak and RMS bars per channel on a dB scale, with a peak-hold tick and a clip lamp, timed by
// elapsed seconds rather than by frames.
import { createView, crisp, cssColor, fitView } from './canvas.js';

const MIN_DB = -60;
const MAX_DB = 6;
const SCALE_MARKS = [6, 0, -6, -12, -18, -24, -36, -48, -60];
const HOLD_SECONDS = 1.2;
const FALL_DB_PER_S = 24;
const CLIP_SECONDS = 2;

export function toDb(amplitude) {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

export function formatDb(db) {
  return db === -Infinity || db < -120 ? '−∞' : `${db.toFixed(1).replace('-', '−')} dB`;
}

export function createMeters(canvas) {
  const view = createView(canvas);
  const colors = { bg: cssColor('--panel'), grid: cssColor('--grid'), label: cssColor('--dim'), track: '#0c1118' };
  const channels = [0, 1].map(() => ({ shownPeak: -Infinity, hold: -Infinity, holdAge: 0, clipAge: Infinity }));

  /** @param levels [peakL, peakR, rmsL, rmsR] as amplitudes, or undefined before any arrive */
  return function draw(levels, dt) {
    const { ctx, width, height, dpr } = fitView(view);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    const top = 20;
    const bottom = height - 20; // room for the channel labels
    const y = (db) => top + ((MAX_DB - Math.max(MIN_DB, Math.min(MAX_DB, db))) / (MAX_DB - MIN_DB)) * (bottom - top);
    const barWidth = Math.min(46, (width - 70) / 2);
    const gap = 12;
    const x0 = (width - 2 * barWidth - gap + 30) / 2;
    drawScale(ctx, x0 - 8, y, dpr, width, colors);
    const fill = ctx.createLinearGradient(0, y(MAX_DB), 0, y(MIN_DB));
    fill.addColorStop(0, '#ff4d4d');
    fill.addColorStop((MAX_DB - 0) / (MAX_DB - MIN_DB), '#ffb547');
    fill.addColorStop((MAX_DB + 12) / (MAX_DB - MIN_DB), '#d8f05a');
    fill.addColorStop(1, '#1fbf75');
    channels.forEach((ch, i) => {
      const peakDb = levels ? toDb(levels[i]) : -Infinity;
      const rmsDb = levels ? toDb(levels[2 + i]) : -Infinity;
      advance(ch, peakDb, dt);
      const x = x0 + i * (barWidth + gap);
      ctx.fillStyle = colors.track;
      ctx.fillRect(x, top, barWidth, bottom - top);
      ctx.fillStyle = fill;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(x, y(ch.shownPeak), barWidth, bottom - y(ch.shownPeak));
      ctx.globalAlpha = 1;
      ctx.fillRect(x, y(rmsDb), barWidth, bottom - y(rmsDb));
      if (ch.hold > MIN_DB) {
        ctx.fillStyle = ch.hold > 0 ? '#ff4d4d' : '#e8eef5';
        ctx.fillRect(x, crisp(y(ch.hold), dpr) - 1, barWidth, 2);
      }
      ctx.fillStyle = ch.clipAge < CLIP_SECONDS ? '#ff4d4d' : '#3a1a1d';
      ctx.fillRect(x, 4, barWidth, 10);
      ctx.fillStyle = colors.label;
      ctx.font = '10px ui-sans-serif, system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(i === 0 ? 'L' : 'R', x + barWidth / 2, bottom + 14);
    });
    ctx.textAlign = 'left';
  };
}

/** Ballistics: the bar falls at a fixed rate, the hold tick waits, then falls; the clip lamp latches. */
function advance(ch, peakDb, dt) {
  ch.shownPeak = peakDb >= ch.shownPeak ? peakDb : Math.max(peakDb, ch.shownPeak - FALL_DB_PER_S * dt);
  ch.holdAge += dt;
  if (peakDb >= ch.hold || ch.holdAge > HOLD_SECONDS) {
    if (peakDb >= ch.hold) ch.holdAge = 0;
    ch.hold = Math.max(peakDb, ch.hold - (peakDb >= ch.hold ? 0 : FALL_DB_PER_S * dt));
  }
  ch.clipAge = peakDb > 0 ? 0 : ch.clipAge + dt;
}

function drawScale(ctx, right, y, dpr, width, colors) {
  ctx.font = '10px ui-sans-serif, system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.lineWidth = 1 / dpr;
  ctx.strokeStyle = colors.grid;
  ctx.fillStyle = colors.label;
  ctx.beginPath();
  for (const db of SCALE_MARKS) {
    const yy = crisp(y(db), dpr);
    ctx.moveTo(right, yy);
    ctx.lineTo(width - 10, yy);
    ctx.fillText(db > 0 ? `+${db}` : String(db), right - 4, yy + 3);
  }
  ctx.stroke();
}
