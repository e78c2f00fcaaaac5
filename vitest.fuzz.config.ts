import { defineConfig } from 'vitest/config';

// The fuzz suite (fuzz/*.fuzz.ts): generated requests against every operation of the OpenAPI
// document on a real database — SQLite, or PostgreSQL with KEDANG_TEST_DB=postgres. Not part of
// `npm test`; FUZZ_SEED replays a run, FUZZ_RUNS sets the requests per operation (DEVELOPERS.md).
export default defineConfig({
  test: {
    include: ['fuzz/**/*.fuzz.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: {
      json: `.test-results/fuzz-${process.env.KEDANG_TEST_DB === 'postgres' ? 'postgres' : 'sqlite'}.json`,
    },
  },
});
