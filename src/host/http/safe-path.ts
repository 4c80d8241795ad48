import { relative, sep } from 'node:path';

// The rules every file the host serves passes (the root's files, the project's images): no segment
// starting with a dot, and a real path (symlinks resolved) inside the folder, below no dot folder.

/**
 * The decoded segments of a path, or undefined when one must never be served: a segment starting
 * with `.` (dotfiles, `.git`, `..`), one with a separator or NUL once decoded, or bad escapes.
 */
export function decodeSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    if (segment !== '') segments.push(segment);
  }
  return segments;
}

/** Whether `real` is `root` or lies below it, without a dot segment on the way (a symlink to `.git` is not served). */
export function isInside(root: string, real: string): boolean {
  if (real === root) return true;
  if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  return !relative(root, real).split(sep).some((segment) => segment.startsWith('.'));
}
