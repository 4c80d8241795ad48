import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at once even on 2 cores (Vitest's default there is one): most of a file's time is spent
    // waiting on browsers, processes and sockets, and no assertion leans on the clock (issue 27). The
    // suite takes about 11.5 minutes this way on 2 cores, about 16 one file at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
  },
});
