import type { Page } from 'playwright-core';

/** The demo's canvases. */
export const CANVASES = ['scope', 'spectrum', 'meters'] as const;

/** A fingerprint of one canvas's pixels: a hash, and how many pixels differ from the background. */
export interface CanvasPrint {
  hash: number;
  lit: number;
}

/** Fingerprints of the demo page's canvases, to see that they draw and that what they draw changes. */
export function canvasPrints(page: Page): Promise<Record<string, CanvasPrint>> {
  return page.evaluate((ids) => {
    const prints: Record<string, { hash: number; lit: number }> = {};
    for (const id of ids) {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let hash = 0;
      let lit = 0;
      const [r0, g0, b0] = [data[0]!, data[1]!, data[2]!]; // the top-left corner is background
      for (let i = 0; i < data.length; i += 4) {
        hash = (Math.imul(hash, 31) + data[i]! + (data[i + 1]! << 8) + (data[i + 2]! << 16)) | 0;
        if (Math.abs(data[i]! - r0) + Math.abs(data[i + 1]! - g0) + Math.abs(data[i + 2]! - b0) > 60) lit++;
      }
      prints[id] = { hash, lit };
    }
    return prints;
  }, CANVASES);
}
