import { createRequire } from 'node:module';

let requireFromHere: NodeJS.Require | undefined;
const loaded = new Map<string, unknown>();

/**
 * Loads a dependency the first time it is needed rather than at import: the price data,
 * the tokenizers and the calendar library each take tens of milliseconds to load, and an
 * app pays for them only when it uses them.
 */
export function loadOnFirstUse<T>(specifier: string): T {
  let module = loaded.get(specifier);
  if (module === undefined) {
    // In the CommonJS build `import.meta` is empty: resolve from the file instead.
    requireFromHere ??= createRequire(import.meta.url ?? __filename);
    module = requireFromHere(specifier);
    loaded.set(specifier, module);
  }
  return module as T;
}

/**
 * The path of a file that ships with the package, beside the bundle (`./estimate/…` is
 * `src/estimate/…` from the sources and `dist/estimate/…` once built), for data that is read
 * rather than required.
 */
export function resolveOnFirstUse(specifier: string): string {
  requireFromHere ??= createRequire(import.meta.url ?? __filename);
  return requireFromHere.resolve(specifier);
}
