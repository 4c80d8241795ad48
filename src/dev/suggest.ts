import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { nearestName } from '../protocol/closest-name.js';

/**
 * The candidate closest to `input` by edit distance, when it is close enough to be a typo (at most
 * a third of the longer name's length, and at least 1 and at most 3 edits); else `undefined`.
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const nearest = nearestName(input, [...candidates].filter((candidate) => candidate !== input), { ignoreCase: true });
  if (nearest === undefined) return undefined;
  const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(input.length, nearest.name.length) / 3)));
  return nearest.distance <= allowed ? nearest.name : undefined;
}

/**
 * For a path that does not exist (`given` as typed, `absolute` resolved): the same path with its
 * last part replaced by the closest entry of its folder, as ` (did you mean …?)`, or `''`.
 */
export async function didYouMeanPath(given: string, absolute: string): Promise<string> {
  const entries = await readdir(dirname(absolute)).catch(() => [] as string[]);
  const name = basename(absolute);
  const match = closestName(name, entries);
  if (match === undefined) return '';
  const trimmed = given.replace(/[\\/]+$/, '');
  const typedName = basename(trimmed);
  const suggestion = typedName === name ? trimmed.slice(0, trimmed.length - name.length) + match : match;
  return ` (did you mean ${suggestion}?)`;
}
