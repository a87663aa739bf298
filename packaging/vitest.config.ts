import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    // Installing (better-sqlite3 may compile for minutes) and tsc take as long as they take:
    // no check here waits on a clock.
    testTimeout: 0,
    hookTimeout: 0,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
