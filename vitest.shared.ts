import { defineConfig } from 'vitest/config';

/**
 * What every package's tests share. A package's `vitest.config.ts` merges its own settings over
 * these (`mergeConfig(sharedTestConfig, …)`).
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // A poll waits on state, not on time: a busy machine may take more than the default second.
    expect: { poll: { timeout: 10_000 } },
  },
});
