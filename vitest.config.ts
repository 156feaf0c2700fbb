import { defineConfig } from 'vitest/config';

const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

// Test tiers. `fast` needs no database server, no build and no child process: the edit-run
// loop (`npm run test:fast`). `slow` is everything that starts PGlite or Postgres, runs the
// built CLI (dist/), kills processes or fuzzes at length. `npm test` runs both.
export const SLOW_TESTS = [
  '**/*.postgres.test.ts',
  '**/*.postgres.fuzz.test.ts',
  '**/*.e2e.test.ts',
  'test/contract/pglite.test.ts',
  'test/contract/postgres.test.ts',
  'test/profiles/arena.dedupe.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/reliability/**/*.test.ts',
  'test/bench/**',
];
const ALL_TESTS = ['test/**/*.test.ts', 'src/**/*.test.ts'];

export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: 'fast', include: ALL_TESTS, exclude: SLOW_TESTS } },
      { extends: true, test: { name: 'slow', include: SLOW_TESTS.map((g) => (g.startsWith('**') ? `{test,src}/${g}` : g)) } },
    ],
  },
});
