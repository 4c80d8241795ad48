/**
 * Counts the large allocations made while `run` runs, in this process (the host under test runs here):
 * every `new ArrayBuffer / SharedArrayBuffer / Uint8Array / Float32Array / …` looked up on the global at
 * call time, `Buffer.alloc*`, and the `slice` of array buffers and typed arrays, whose size is at least
 * `threshold` bytes. The rows of docs/BAD-INPUT.md that promise "refused before anything is allocated"
 * are measured with it, and its own test shows it sees an allocation a naive decoder would make.
 */
export async function largeAllocationsDuring(threshold: number, run: () => unknown): Promise<number[]> {
  const seen: number[] = [];
  const note = (bytes: number): void => {
    if (bytes >= threshold) seen.push(bytes);
  };
  const restore: (() => void)[] = [];
  const patch = <T extends object, K extends keyof T>(owner: T, key: K, value: T[K]): void => {
    const original = owner[key];
    owner[key] = value;
    restore.push(() => void (owner[key] = original));
  };
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer', 'Uint8Array', 'Int16Array', 'Int32Array', 'Float32Array', 'Float64Array']) {
    const ctor = global[name] as { BYTES_PER_ELEMENT?: number } & (new (...args: unknown[]) => object);
    const element = ctor.BYTES_PER_ELEMENT ?? 1;
    patch(
      global,
      name,
      new Proxy(ctor, {
        construct(target, args, newTarget) {
          if (typeof args[0] === 'number') note(args[0] * element);
          return Reflect.construct(target, args, newTarget === undefined ? target : newTarget) as object;
        },
      }),
    );
  }
  for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
    const original = Buffer[key] as (size: number, ...rest: unknown[]) => Buffer;
    patch(Buffer, key, ((size: number, ...rest: unknown[]) => {
      note(size);
      return original.call(Buffer, size, ...rest);
    }) as never);
  }
  const slices: { prototype: { slice: (...args: number[]) => { byteLength: number } } }[] = [ArrayBuffer, Object.getPrototypeOf(Uint8Array) as never];
  for (const owner of slices) {
    const original = owner.prototype.slice;
    patch(owner.prototype, 'slice', function (this: unknown, ...args: number[]) {
      const result = original.apply(this, args);
      note(result.byteLength);
      return result;
    });
  }
  try {
    await run();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return seen;
}
