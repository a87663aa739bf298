import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared';

export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      globalSetup: ['./test-server/vitest-global-setup.mjs'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  }),
);
