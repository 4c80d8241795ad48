import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FileStamps } from '../../src/dev/file-stamps.js';

// A watcher reporting one save twice must not restart the host module twice; a new save always does.
const dir = await mkdtemp(join(tmpdir(), 'hise-stamps-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

it('the same save reported again is no change; every new save, a deletion and a re-creation are', async () => {
  const file = join(dir, 'host.ts');
  const other = join(dir, 'dep.ts');
  await writeFile(file, 'v1');
  await writeFile(other, 'd1');
  const whole = new Date(Math.floor(Date.now() / 1000) * 1000); // utimes cannot set nanoseconds: start from a whole second
  await utimes(file, whole, whole);
  const stamps = new FileStamps();
  expect(await stamps.changed([file])).toBe(true); // never loaded before
  expect(await stamps.changed([file])).toBe(false); // the same save, reported again
  const { atime, mtime } = await stat(file);
  await utimes(file, new Date(atime.getTime() + 5000), mtime); // an attribute event: still the same save
  expect(await stamps.changed([file])).toBe(false);
  await writeFile(file, 'v1'); // saved again with the same text: the author asked for a restart
  await utimes(file, atime, new Date(mtime.getTime() + 1000)); // (a later mtime, even on a coarse clock)
  expect(await stamps.changed([file])).toBe(true);
  expect(await stamps.changed([file, other])).toBe(true); // one of them is new
  expect(await stamps.changed([other, file])).toBe(false);
  await rm(other);
  expect(await stamps.changed([other])).toBe(true);
  expect(await stamps.changed([other])).toBe(false);
  await writeFile(other, 'd2');
  expect(await stamps.changed([other])).toBe(true);
});
