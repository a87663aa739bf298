import { usePriceData } from './genai-prices-data';
import { readPriceDataFile } from './price-data-cache-file';
import { type PriceDataSummary, summarizePriceData } from './price-data-summary';
import { parsePriceData } from './price-data-validation';

/** Price data loaded from a cache file. */
export interface LoadedPriceDataFile {
  readonly path: string;
  /** ms since epoch: when the file was written, that is when its data was fetched. */
  readonly retrievedAt: number;
  /** Whether it is now in use (newer data fetched in this process stays in use otherwise). */
  readonly inUse: boolean;
  readonly summary: PriceDataSummary;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads a price cache file written by `updatePriceData`, `tollgate prices --update` or a budget's
 * `prices.update`, checks it as a fetched file is checked and puts its data in use in this
 * process, unless newer data is. `undefined` when the file does not exist; a file that cannot be
 * read or fails the checks throws an `Error` that says why, and changes nothing.
 */
export function loadPriceDataFile(
  path: string,
  maxBytes = DEFAULT_MAX_BYTES,
): LoadedPriceDataFile | undefined {
  const file = readPriceDataFile(path, maxBytes);
  if (file === undefined) return undefined;
  const providers = parsePriceData(file.text);
  const inUse = usePriceData({
    source: 'cache-file',
    retrievedAt: file.modifiedAt,
    location: path,
    providers,
  });
  return { path, retrievedAt: file.modifiedAt, inUse, summary: summarizePriceData(providers, new Date()) };
}
