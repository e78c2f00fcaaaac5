import { defineConfig } from 'vitest/config';

// Browser tests: the real server (`kedang serve`) in a child process and Debian's Chromium
// driven by playwright-core. Screenshots land in e2e/screenshots/ (gitignored).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    setupFiles: ['e2e/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/e2e.json' },
  },
});
