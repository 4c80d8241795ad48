// A seeded PRNG (xorshift32) for the fuzz scripts, so a failure can be replayed with --seed.

/** Random numbers from `seed`: `next()` in [0, 1), `int(n)` in [0, n), `pick(list)`, `chance(p)`. */
export function prng(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)], chance: (p) => next() < p };
}
