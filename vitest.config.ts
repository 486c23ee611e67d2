import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // nodejieba and better-sqlite3 are native addons: forks isolate them more safely than threads.
    pool: 'forks',
  },
});
