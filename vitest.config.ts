import { defineConfig } from 'vitest/config';

const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    // Child processes, not threads: PGlite's WASM heap (~0.7 GB each) is released when a
    // worker exits, and a crash in one file cannot take the others down.
    pool: 'forks',
    // 2-core machines; each PGlite-backed file holds its own database in memory.
    maxWorkers: 2,
    // PGlite start-up + migrations take several seconds on a slow runner, and the
    // concurrency cases run 50 round trips through one multiplexed session.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // 'verbose' prints every suite and test name, so the CI log shows the contract suite
    // running against each backend ([fixtures], [pglite], [postgres]).
    reporters: ci ? ['verbose'] : ['default'],
  },
});
