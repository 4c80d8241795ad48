/**
 * The host's clock for stream times (ms): `performance.timeOrigin + performance.now()`, a
 * wall-clock-like number with sub-millisecond resolution that never jumps backwards within the
 * process. A page's `client.hostTime()` estimates this same clock.
 */
export function hostTime(): number {
  return performance.timeOrigin + performance.now();
}
