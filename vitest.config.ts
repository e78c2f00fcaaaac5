import { defineConfig } from 'vitest/config';

// Server tests: HTTP through app.inject() against a real database per test file
// (SQLite by default; PostgreSQL with KEDANG_TEST_DB=postgres, see DEVELOPERS.md).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: {
      json: `.test-results/${process.env.KEDANG_TEST_DB === 'postgres' ? 'postgres' : 'sqlite'}.json`,
    },
  },
});
