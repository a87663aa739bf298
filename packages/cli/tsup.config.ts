import { defineConfig } from 'tsup';

// A command, not a library: one ESM entry with a shebang, no type declarations.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  // No source maps: the bundles are not minified, so a stack trace already points at readable code.
  sourcemap: false,
  // Error classes keep their names in stack traces (`BudgetExceededError`, not `_BudgetExceededError`).
  keepNames: true,
  target: 'node20',
});
