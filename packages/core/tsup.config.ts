import { copyFile, mkdir } from 'node:fs/promises';
import { defineConfig } from 'tsup';

/**
 * The adapter kit imports core through `../index`; its build imports `@tollgate/core` instead
 * (the package's own name), so that an app has one copy of core's state (the context of
 * `budget.withContext`, the error classes) in ESM and in CommonJS alike.
 */
const coreAsPackage = {
  name: 'core-as-package',
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: { importer: string }) => { path: string; external: boolean } | undefined,
    ): void;
  }) {
    build.onResolve({ filter: /^\.\.\/index$/ }, ({ importer }) =>
      /[\\/]src[\\/]adapter[\\/]/.test(importer) ? { path: '@tollgate/core', external: true } : undefined,
    );
  },
};

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts', 'src/adapter.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // No source maps: the bundles are not minified, so a stack trace already points at readable code.
  sourcemap: false,
  // Error classes keep their names in stack traces (`BudgetExceededError`, not `_BudgetExceededError`).
  keepNames: true,
  target: 'node20',
  external: ['fast-check', 'gpt-tokenizer'],
  esbuildPlugins: [coreAsPackage],
  // The Tekken vocabulary is read at run time from beside the bundle (src/estimate/ → dist/estimate/).
  async onSuccess() {
    await mkdir('dist/estimate', { recursive: true });
    await copyFile('src/estimate/tekken-vocabulary.bin', 'dist/estimate/tekken-vocabulary.bin');
  },
});
