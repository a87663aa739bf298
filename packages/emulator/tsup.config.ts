import { defineConfig } from 'tsup';

const shared = {
  clean: true,
  // No source maps: the bundles are not minified, so a stack trace already points at readable code.
  sourcemap: false,
  // Error classes keep their names in stack traces.
  keepNames: true,
  target: 'node20',
} as const;

export default defineConfig([
  { ...shared, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true },
  // The `tollgate-emulator` command: ESM only, not meant to be imported.
  { ...shared, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false },
]);
