import { loadPriceDataFile } from '@tollgate/core';
import type { CliIo } from '../cli-io';
import { loadConfig } from '../config/load-config';
import type { CacheFileState } from '../render/price-layers-text';
import { type PriceDataSource, priceDataSource, shownPath } from './price-data-source';

/**
 * Reads the genai-prices cache file (`--cache-file`, else the config's `prices.update.cacheFile`,
 * else the default) into this process's price data, as an app with that file would, so that a
 * command prices with what `prices --update` fetched. A bad file is said and ignored.
 */
export function usePriceCacheFile(
  options: { readonly cacheFile?: string; readonly url?: string; readonly config?: string },
  io: CliIo,
): { source: PriceDataSource; cache: CacheFileState } {
  const source = priceDataSource(
    options,
    loadConfig(options.config ?? io.env.TOLLGATE_CONFIG, io.cwd),
    io.cwd,
  );
  const path = shownPath(source.cacheFile, io.cwd);
  try {
    const loaded = loadPriceDataFile(source.cacheFile);
    return { source, cache: loaded ? { state: 'loaded', path } : { state: 'absent', path } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr.write(`tollgate: the price cache file ${path} was ignored: ${reason}\n`);
    return { source, cache: { state: 'ignored', path, reason } };
  }
}
