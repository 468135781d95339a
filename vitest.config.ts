import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The local runtime halts policy scripts with a process-wide SIGINT (see tools/runtime/README.md):
    // each test file gets its own process, and files never share one.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
