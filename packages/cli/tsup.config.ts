import { defineConfig } from 'tsup';

// A command, not a library: one ESM entry with a shebang, no type declarations.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
