import { stat } from 'node:fs/promises';

/**
 * Which saved version of each file a restart loaded: its modification time and size (`undefined`
 * when it is gone). A file watcher may report one save more than once (an editor's truncate and
 * write, a slow disk under load, an atomic rename): a change whose files all carry the stamps of the
 * last restart is that same save again, and must not restart the host a second time.
 */
export class FileStamps {
  readonly #loaded = new Map<string, string | undefined>();

  /**
   * Reads the stamps of `files` now and records them as the loaded ones.
   * @returns whether any differs from what was recorded before (a real change)
   */
  async changed(files: readonly string[]): Promise<boolean> {
    const stamps = await Promise.all(files.map(async (file) => [file, await stampOf(file)] as const));
    let changed = false;
    for (const [file, stamp] of stamps) {
      if (!this.#loaded.has(file) || this.#loaded.get(file) !== stamp) changed = true;
      this.#loaded.set(file, stamp);
    }
    return changed;
  }
}

async function stampOf(file: string): Promise<string | undefined> {
  try {
    const stats = await stat(file, { bigint: true });
    return `${stats.mtimeNs}:${stats.size}:${stats.ino}`;
  } catch {
    return undefined;
  }
}
