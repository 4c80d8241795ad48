// The protocol a fuzz script speaks with the host process it forks (scripts/fuzz-http-host.mjs,
// scripts/fuzz-hub-host.mjs): 'measure' answers the memory after a full GC (run with --expose-gc)
// and the host's own counts; 'close' closes the host and ends the process.

/** Answers the parent's 'measure' and 'close' for `wv`; `counts()` adds the host's figures to a measure. */
export function answerParent(wv, counts) {
  process.on('message', async (message) => {
    if (message === 'measure') {
      globalThis.gc?.();
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send({ rss, heapUsed, ...counts() });
    } else if (message === 'close') {
      await wv.close();
      process.exit(0);
    }
  });
}
