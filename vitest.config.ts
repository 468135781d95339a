import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The local runtime halts policy scripts with a process-wide SIGINT (see tools/runtime/README.md):
    // each test file gets its own process, and files never share one.
    pool: 'forks',
    // Both cores: most of a file's time is spent in the engine and webpack processes it starts, not
    // in its worker (vitest's default on 2 cores is one worker, which ran the suite serially).
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
