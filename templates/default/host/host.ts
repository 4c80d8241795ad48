// The host module: `npm run serve` (or `npm run dev`) runs it with the WebView, and restarts it when
// this file or one it imports changes. In HISE, this is your ScriptWebView's script.
import type { WebView } from 'hise-webview';
import { GAIN_RANGE, type App } from '../shared/contract.js';

/** Level blocks per second sent to the page. */
export const LEVEL_RATE_HZ = 30;

/** Peak levels the page draws, per block. */
export const LEVEL_BLOCK = 8;

export default function host(wv: WebView<App>, { signal }: { signal: AbortSignal }): void {
  let gainDb: number = GAIN_RANGE.initial;

  const setGain = (db: number): number => {
    gainDb = Math.min(GAIN_RANGE.max, Math.max(GAIN_RANGE.min, Number.isFinite(db) ? db : GAIN_RANGE.initial));
    console.log(`gain ${gainDb} dB`);
    wv.send('status', `gain ${gainDb} dB`);
    return gainDb;
  };
  // HISE's way for a page: `await window.setGain(-6)`; and for a modern client: `client.call('setGain', -6)`.
  wv.bindCallback('setGain', ([db]) => setGain(Number(db)));
  wv.handle('setGain', setGain);

  // The seed document's pattern: the page defines initWebSocket(port), the host calls it (replayed
  // in every page that opens later).
  void wv.callFunction('initWebSocket', wv.port);

  let phase = 0;
  const timer = setInterval(() => {
    phase += 1;
    wv.send('level', levels(gainDb, phase));
  }, 1000 / LEVEL_RATE_HZ);
  signal.addEventListener('abort', () => clearInterval(timer));
}

/** A block of peak levels (0–1) of a slowly pulsing signal at `gainDb`. */
export function levels(gainDb: number, phase: number): Float32Array {
  const amplitude = 10 ** (gainDb / 20);
  const block = new Float32Array(LEVEL_BLOCK);
  for (let i = 0; i < block.length; i++) block[i] = amplitude * (0.6 + 0.4 * Math.sin((phase * LEVEL_BLOCK + i) / 20));
  return block;
}
