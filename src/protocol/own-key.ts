/**
 * Sets `key` on `target` as its own enumerable property, whatever the key: `out[key] = value` with
 * `key` `__proto__` would swap the object's prototype instead (hiding the key from JSON, a preview,
 * or a saved state). JSON.stringify writes such an own `__proto__` like any other key, and
 * JSON.parse reads it back as one.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
