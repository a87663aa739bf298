import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    // A poll waits on state, not on time: a busy machine may take more than the default second.
    expect: { poll: { timeout: 10_000 } },
  },
});
