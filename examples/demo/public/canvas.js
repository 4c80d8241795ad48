// Crisp canvases: the backing store follows the element's size times devicePixelRatio, checked
// every frame so window resizes, zoom and moving to another monitor all stay sharp.

/** @returns {{ canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, width: number, height: number, dpr: number }} */
export function createView(canvas) {
  return { canvas, ctx: canvas.getContext('2d', { alpha: false }), width: 0, height: 0, dpr: 0 };
}

/** Resizes the backing store if needed and leaves the context drawing in CSS pixels. */
export function fitView(view) {
  const dpr = window.devicePixelRatio || 1;
  const width = view.canvas.clientWidth;
  const height = view.canvas.clientHeight;
  if (width !== view.width || height !== view.height || dpr !== view.dpr) {
    view.canvas.width = Math.max(1, Math.round(width * dpr));
    view.canvas.height = Math.max(1, Math.round(height * dpr));
    Object.assign(view, { width, height, dpr });
  }
  view.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return view;
}

/** Reads a CSS custom property once, so colours live in style.css only. */
export function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Snaps a coordinate to the middle of a device pixel, so 1-px lines are not blurred over two. */
export function crisp(x, dpr) {
  return (Math.round(x * dpr - 0.5) + 0.5) / dpr;
}
