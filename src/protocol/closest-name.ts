/**
 * "Did you mean" after a typo: the candidate nearest to a name by edit distance (Levenshtein), one
 * implementation for the host, the CLI and the browser client (small, with no dependency, for the
 * client's bundle).
 */

/** The candidate nearest to `name` (the first of equals) and its distance; `undefined` when there is none. */
export function nearestName(name: string, candidates: Iterable<string>, options: { ignoreCase?: boolean } = {}): { name: string; distance: number } | undefined {
  const fold = (text: string): string => (options.ignoreCase ? text.toLowerCase() : text);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(fold(name), fold(candidate));
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  return best;
}

/**
 * The candidate closest to `name` (case ignored); `undefined` when none is within 2 edits (or a
 * third of the name's length, for a long name).
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const nearest = nearestName(name, candidates, { ignoreCase: true });
  return nearest !== undefined && nearest.distance <= Math.max(2, Math.floor(name.length / 3)) ? nearest.name : undefined;
}

/** Levenshtein distance, one row at a time: `row[j]` is the distance between a's first i characters and b's first j. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
