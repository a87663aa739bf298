import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import { loadOnFirstUse, resolveOnFirstUse } from '../load-on-first-use';

type Library = typeof import('@pydantic/genai-prices');

/** Where the `@pydantic/genai-prices` data in use came from. */
export type PriceDataSource = 'bundled' | 'cache-file' | 'fetched';

/** Data that replaced the bundled data, and where it came from. */
export interface LoadedPriceData {
  readonly source: 'cache-file' | 'fetched';
  /** When the data was fetched: the time of the fetch, or the cache file's modification time. */
  readonly retrievedAt: number;
  /** The cache file's path or the URL it was fetched from (without credentials or query). */
  readonly location: string;
  readonly providers: readonly Provider[];
}

let setProviderData: ((data: Provider[]) => void) | undefined;
/** The bundled data, kept when other data replaces it: the library's promise of its data before any update. */
let bundled: Promise<Provider[] | null> | undefined;
let loaded: LoadedPriceData | undefined;
let generation = 0;

function library(): Library {
  return loadOnFirstUse<Library>('@pydantic/genai-prices');
}

/**
 * Gives the library data checked by `parsePriceData`, through its own update hook
 * (`updatePrices`' `setProviderData`), unless newer data is in use already: one process has one
 * set of library data, shared by every budget in it. Returns whether it was taken.
 */
export function usePriceData(data: LoadedPriceData): boolean {
  if (loaded !== undefined && loaded.retrievedAt > data.retrievedAt) return false;
  if (setProviderData === undefined) {
    bundled = library().waitForUpdate();
    library().updatePrices(({ setProviderData: set }) => {
      setProviderData = set;
    });
  }
  // Its own copy: the library keeps the array it is given.
  setProviderData?.([...data.providers]);
  loaded = data;
  generation++;
  return true;
}

/** The data that replaced the bundled data, or `undefined` while the bundled data serves. */
export function loadedPriceData(): LoadedPriceData | undefined {
  return loaded;
}

/** Changes whenever the library's data is replaced: caches of what it resolved are stale then. */
export function priceDataGeneration(): number {
  return generation;
}

/** The library's data in use, bundled or loaded (for comparing an update with it). */
export function currentPriceData(): Promise<Provider[]> {
  return library()
    .waitForUpdate()
    .then((providers) => providers ?? []);
}

/** The data that ships inside `@pydantic/genai-prices`, whatever data is in use now. */
export function bundledPriceData(): Promise<Provider[]> {
  return (bundled ?? library().waitForUpdate()).then((providers) => providers ?? []);
}

/** Puts the bundled data back (tests of the update path, which share one library per test file). */
export async function restoreBundledPriceData(): Promise<void> {
  if (setProviderData === undefined || bundled === undefined) return;
  const providers = await bundled;
  setProviderData([...(providers ?? [])]);
  loaded = undefined;
  generation++;
}

/** The version of the bundled `@pydantic/genai-prices` package (its data ships inside it). */
export function bundledPriceDataVersion(): string | undefined {
  try {
    const entry = resolveOnFirstUse('@pydantic/genai-prices');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}
