/** A canvas the components draw on: the page's own, or one transferred to a worker. */
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

/** RGBA, each 0–1. */
export type Rgba = readonly [number, number, number, number];

/**
 * What a component draws with, in clip space (x and y from -1 to 1): a polyline and rectangles,
 * cleared to a background each frame. WebGL2 where the canvas has it, else the 2D canvas.
 */
export interface Surface {
  readonly kind: 'webgl2' | '2d';
  /** Starts a frame: the canvas cleared to `background`. */
  clear(background: Rgba): void;
  /** A polyline through `count` points, `xy` holding x, y pairs. */
  line(xy: Float32Array, count: number, color: Rgba): void;
  /** A filled rectangle from (x0, y0) to (x1, y1). */
  rect(x0: number, y0: number, x1: number, y1: number, color: Rgba): void;
}

const VERTEX = `#version 300 es
in vec2 p;
void main() { gl_Position = vec4(p, 0.0, 1.0); }`;
const FRAGMENT = `#version 300 es
precision mediump float;
uniform vec4 color;
out vec4 outColor;
void main() { outColor = color; }`;

/** A WebGL2 surface, or undefined when the canvas has no WebGL2 context. */
function webgl2(canvas: AnyCanvas): Surface | undefined {
  const gl = (canvas as OffscreenCanvas).getContext('webgl2', { antialias: true, preserveDrawingBuffer: true }) as WebGL2RenderingContext | null;
  if (gl === null) return undefined;
  const program = gl.createProgram()!;
  for (const [type, source] of [[gl.VERTEX_SHADER, VERTEX], [gl.FRAGMENT_SHADER, FRAGMENT]] as const) {
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    gl.attachShader(program, shader);
  }
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) return undefined;
  gl.useProgram(program);
  const color = gl.getUniformLocation(program, 'color');
  const buffer = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
  const position = gl.getAttribLocation(program, 'p');
  gl.enableVertexAttribArray(position);
  gl.vertexAttribPointer(position, 2, gl.FLOAT, false, 0, 0);
  const quad = new Float32Array(12);
  const draw = (data: Float32Array, mode: number, count: number, rgba: Rgba): void => {
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.STREAM_DRAW, 0, count * 2);
    gl.uniform4f(color, rgba[0], rgba[1], rgba[2], rgba[3]);
    gl.drawArrays(mode, 0, count);
  };
  return {
    kind: 'webgl2',
    clear(background) {
      gl.viewport(0, 0, canvas.width, canvas.height);
      gl.clearColor(background[0], background[1], background[2], background[3]);
      gl.clear(gl.COLOR_BUFFER_BIT);
    },
    line: (xy, count, rgba) => draw(xy, gl.LINE_STRIP, count, rgba),
    rect(x0, y0, x1, y1, rgba) {
      quad.set([x0, y0, x1, y0, x0, y1, x0, y1, x1, y0, x1, y1]);
      draw(quad, gl.TRIANGLES, 6, rgba);
    },
  };
}

function css([r, g, b, a]: Rgba): string {
  return `rgba(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)},${a})`;
}

/** The 2D canvas surface (the fallback). */
function canvas2d(canvas: AnyCanvas): Surface {
  const context = (canvas as OffscreenCanvas).getContext('2d') as OffscreenCanvasRenderingContext2D | null;
  if (context === null) throw new TypeError('this canvas has neither a webgl2 nor a 2d context (is another kind of context already in use?)');
  const px = (x: number) => ((x + 1) / 2) * canvas.width;
  const py = (y: number) => ((1 - y) / 2) * canvas.height;
  return {
    kind: '2d',
    clear(background) {
      context.fillStyle = css(background);
      context.fillRect(0, 0, canvas.width, canvas.height);
    },
    line(xy, count, rgba) {
      context.strokeStyle = css(rgba);
      context.lineWidth = 1;
      context.beginPath();
      for (let i = 0; i < count; i++) (i === 0 ? context.moveTo : context.lineTo).call(context, px(xy[2 * i]!), py(xy[2 * i + 1]!));
      context.stroke();
    },
    rect(x0, y0, x1, y1, rgba) {
      context.fillStyle = css(rgba);
      context.fillRect(px(Math.min(x0, x1)), py(Math.max(y0, y1)), Math.abs(px(x1) - px(x0)), Math.abs(py(y1) - py(y0)));
    },
  };
}

/** A surface for `canvas`: WebGL2 unless `prefer` is `'2d'` or the canvas has none. */
export function surfaceFor(canvas: AnyCanvas, prefer: 'webgl2' | '2d' = 'webgl2'): Surface {
  return (prefer === 'webgl2' ? webgl2(canvas) : undefined) ?? canvas2d(canvas);
}

/** `#rgb`, `#rrggbb` or `#rrggbbaa` as RGBA; `fallback` for anything else. */
export function parseColor(color: string | undefined, fallback: Rgba): Rgba {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(color ?? '')?.[1];
  if (hex === undefined) return fallback;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const byte = (i: number) => parseInt(full.slice(i, i + 2), 16) / 255;
  return [byte(0), byte(2), byte(4), full.length === 8 ? byte(6) : 1];
}
