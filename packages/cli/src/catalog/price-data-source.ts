import path from 'node:path';
import { DEFAULT_PRICE_DATA_URL } from '@tollgate/core';
import { usageError } from '../cli-error';
import type { LoadedConfig } from '../config/load-config';

/** Next to the default database and config. */
export const DEFAULT_PRICE_CACHE_FILE = '.tollgate/genai-prices.json';

export interface PriceDataSource {
  /** Absolute. */
  readonly cacheFile: string;
  readonly url: string;
}

/**
 * Where `prices` reads and `prices --update` writes the genai-prices cache file, and where the
 * update fetches from: the options, else the config's `prices.update` (what the app uses), else
 * the defaults. A relative path is relative to the working directory.
 */
export function priceDataSource(
  options: { readonly cacheFile?: string; readonly url?: string },
  loaded: LoadedConfig,
  cwd: string,
): PriceDataSource {
  const prices = loaded.config.prices;
  const update = prices !== undefined && !Array.isArray(prices) ? prices.update : undefined;
  for (const field of ['cacheFile', 'url'] as const)
    if (update?.[field] !== undefined && (typeof update[field] !== 'string' || update[field] === ''))
      throw usageError(`invalid config ${loaded.path}: prices.update.${field} must be a non-empty string`);
  return {
    cacheFile: path.resolve(cwd, options.cacheFile ?? update?.cacheFile ?? DEFAULT_PRICE_CACHE_FILE),
    url: options.url ?? update?.url ?? DEFAULT_PRICE_DATA_URL,
  };
}

/** A path as the user would type it: relative to the working directory when it is inside it. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
