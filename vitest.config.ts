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
    // A test's policies are compiled by jsPolicy's webpack step first; in a clean clone its cache is
    // cold, and two workers share two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
