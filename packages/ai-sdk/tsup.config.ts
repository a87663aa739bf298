import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps: the bundles are not minified, so a stack trace already points at readable code.
  sourcemap: false,
  // Error classes keep their names in stack traces (`BudgetExceededError`, not `_BudgetExceededError`).
  keepNames: true,
  target: 'node20',
  external: ['ai', '@tollgate/core'],
});
