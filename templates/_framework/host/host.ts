// The host module: `npm run dev` (Vite) runs it with the WebView and restarts it when this file or
// one it imports changes; the test runs it against a test host. In HISE, this is your ScriptWebView's script.
import type { WebView } from 'hise-webview';
import type { App } from '../shared/contract.js';

/** Level blocks per second sent to the page: one per animation frame. */
export const LEVEL_RATE_HZ = 60;
/** Peak levels the page draws, per block. */
export const LEVEL_BLOCK = 16;

export default function host(wv: WebView<App>, { signal }: { signal: AbortSignal }): void {
  const gain = wv.parameter('gain', { min: -60, max: 6, step: 0.1, default: -12, unit: 'dB', label: 'Gain', format: (db: number) => `${db.toFixed(1)} dB` });
  const mix = wv.parameter('mix', { min: 0, max: 100, step: 1, default: 100, unit: '%', label: 'Mix' });
  gain.on('gesture', (gesture) => {
    if (gesture.phase === 'end') console.log(`gain ${gesture.from} → ${gesture.to} dB`);
  });
  wv.handle('reset', () => {
    gain.reset();
    mix.reset();
    return `reset to ${gain.text}, ${mix.text}`;
  });

  let phase = 0;
  const timer = setInterval(() => wv.send('level', levels(gain.value, mix.value, phase++)), 1000 / LEVEL_RATE_HZ);
  signal.addEventListener('abort', () => clearInterval(timer));
}

/** A block of peak levels (0–1) of a slowly pulsing signal at `gainDb`, `mixPercent` of it wet. */
export function levels(gainDb: number, mixPercent: number, phase: number): Float32Array {
  const amplitude = 10 ** (gainDb / 20) * (0.5 + mixPercent / 200);
  const block = new Float32Array(LEVEL_BLOCK);
  for (let i = 0; i < block.length; i++) block[i] = amplitude * (0.6 + 0.4 * Math.sin((phase * LEVEL_BLOCK + i) / 40));
  return block;
}
