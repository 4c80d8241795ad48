/**
 * The reference components (oscilloscope, spectrum, peak/RMS meter): the newest frame of a stream
 * drawn once per animation frame, on the main thread or in the worker client's worker.
 */
import type { MessageMeta } from '../modern/types.js';
import { SpectrumAnalyser } from './spectrum.js';
import { parseColor, surfaceFor, type AnyCanvas, type Rgba, type Surface } from './surface.js';

/** The reference components. */
export type ComponentKind = 'oscilloscope' | 'spectrum' | 'meter';

/** Options of a reference component. */
export interface ComponentOptions {
  /** The stream it draws (float32 frames, or any typed array). */
  id: string;
  /** `'2d'` forces the 2D canvas; by default WebGL2 where there is one. */
  renderer?: 'webgl2' | '2d';
  /** Colour of the trace or bars, `#rgb` / `#rrggbb` / `#rrggbbaa`. @default '#4fc3f7' */
  color?: string;
  /** Colour of the background. @default '#111111' */
  background?: string;
  /** Spectrum: the dB at the bottom of the canvas. @default -100 */
  floorDb?: number;
}

/** Where a component gets its frames: the client (`connect`), or the worker's context. */
export interface FrameSource {
  on(id: string, listener: (data: never, meta: MessageMeta) => void): () => void;
}

/** A mounted component: how many frames it drew, which renderer it uses, and how to stop it. */
export interface Component {
  readonly renderer: 'webgl2' | '2d';
  /** Frames drawn (one per animation frame with new data). */
  readonly drawn: number;
  dispose(): void;
}

type Draw = (surface: Surface, samples: ArrayLike<number>, color: Rgba) => void;

/** Frames the meter's peak hold lasts before it falls. */
const PEAK_HOLD_FRAMES = 30;

const DRAWERS: Record<ComponentKind, () => Draw> = {
  oscilloscope: () => {
    let xy = new Float32Array(0);
    return (surface, samples, color) => {
      const n = samples.length;
      if (xy.length < 2 * n) xy = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        xy[2 * i] = n === 1 ? 0 : -1 + (2 * i) / (n - 1);
        xy[2 * i + 1] = Math.max(-1, Math.min(1, samples[i]!));
      }
      surface.line(xy, n, color);
    };
  },
  spectrum: () => {
    const analyser = new SpectrumAnalyser();
    let xy = new Float32Array(0);
    return (surface, samples, color) => {
      const bins = analyser.analyse(samples);
      const n = bins.length;
      if (xy.length < 2 * n) xy = new Float32Array(2 * n);
      const logMax = Math.log(Math.max(n, 2));
      for (let i = 0; i < n; i++) {
        xy[2 * i] = -1 + (2 * Math.log(i + 1)) / logMax; // log frequency
        xy[2 * i + 1] = Math.max(-1, Math.min(1, 1 + (2 * bins[i]!) / 100));
      }
      surface.line(xy, n, color);
    };
  },
  meter: () => {
    let peakHold = 0;
    let held = 0;
    return (surface, samples, color) => {
      let peak = 0;
      let sum = 0;
      for (let i = 0; i < samples.length; i++) {
        const v = Math.abs(samples[i]!);
        if (v > peak) peak = v;
        sum += v * v;
      }
      const rms = Math.sqrt(sum / Math.max(1, samples.length));
      if (peak >= peakHold || ++held > PEAK_HOLD_FRAMES) [peakHold, held] = [peak, 0];
      const y = (v: number) => -1 + 2 * Math.min(1, v);
      surface.rect(-0.9, -1, -0.05, y(rms), color);
      surface.rect(0.05, -1, 0.9, y(peak), [color[0], color[1], color[2], color[3] * 0.6]);
      surface.rect(-0.9, y(peakHold) - 0.01, 0.9, y(peakHold) + 0.01, color);
    };
  },
};

/**
 * Mounts a reference component on `canvas`, drawing the newest frame of `options.id` from `source`
 * once per animation frame (nothing when no new frame came). Works on the main thread with a
 * `connect()` client and in the worker client's worker on a transferred canvas (`client.mount`).
 */
export function mountComponent(kind: ComponentKind, canvas: AnyCanvas, source: FrameSource, options: ComponentOptions): Component {
  const makeDraw = DRAWERS[kind];
  if (makeDraw === undefined) throw new TypeError(`unknown component '${String(kind)}' (known: ${Object.keys(DRAWERS).join(', ')})`);
  const draw = makeDraw();
  const surface = surfaceFor(canvas, options.renderer);
  const color = parseColor(options.color, [0.31, 0.76, 0.97, 1]);
  const background = parseColor(options.background, [0.07, 0.07, 0.07, 1]);
  let newest: ArrayLike<number> | undefined;
  let drawn = 0;
  let disposed = false;
  const off = source.on(options.id, ((data: unknown) => {
    if (ArrayBuffer.isView(data) && !(data instanceof DataView)) newest = data as unknown as ArrayLike<number>;
  }) as never);
  const schedule = frameScheduler();
  const tick = (): void => {
    if (disposed) return;
    if (newest !== undefined) {
      surface.clear(background);
      draw(surface, newest, color);
      newest = undefined;
      drawn++;
    }
    schedule(tick);
  };
  surface.clear(background);
  schedule(tick);
  return {
    renderer: surface.kind,
    get drawn() {
      return drawn;
    },
    dispose() {
      disposed = true;
      off();
    },
  };
}

/** `requestAnimationFrame` (in windows and, in Chromium, dedicated workers), else a 60 Hz timer. */
function frameScheduler(): (run: () => void) => void {
  const raf = (globalThis as { requestAnimationFrame?: (run: () => void) => number }).requestAnimationFrame;
  return raf !== undefined ? (run) => raf(run) : (run) => setTimeout(run, 1000 / 60);
}
