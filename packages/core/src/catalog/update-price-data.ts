import { fetchPriceData } from './fetch-price-data';
import { currentPriceData, loadedPriceData, usePriceData } from './genai-prices-data';
import { writePriceDataFile } from './price-data-cache-file';
import {
  comparePriceData,
  type PriceDataChanges,
  type PriceDataSummary,
  summarizePriceData,
} from './price-data-summary';
import { parsePriceData } from './price-data-validation';
import {
  type NormalizedPriceUpdateOptions,
  normalizePriceUpdateOptions,
  type PriceUpdateOptions,
  shownUrl,
} from './price-update-options';

/** What one price update did. */
export interface PriceUpdateResult {
  /** Whether fresh data was fetched, checked and is now in use. */
  readonly updated: boolean;
  /** Where it was fetched from (without credentials or query). */
  readonly url: string;
  /** Why the data was not used (a time-out, `HTTP 500`, `is HTML, not JSON`…); the previous data serves. */
  readonly error?: string;
  /** What the new data holds. */
  readonly summary?: PriceDataSummary;
  /** How it differs from the data in use before it. */
  readonly changes?: PriceDataChanges;
  /** The cache file written. */
  readonly cacheFile?: string;
  /** Why the cache file could not be written (the new data is in use all the same). */
  readonly cacheError?: string;
}

/**
 * Fetches `@pydantic/genai-prices` data (default: genai-prices' own published file), checks it
 * and puts it in use in this process, in place of the data in use (for every budget: one process
 * has one set of that data); then, with `cacheFile`, writes it there atomically. Never rejects for
 * a failed fetch or bad data: the result says why (`error`) and the previous data stays in use.
 * Bad options are a `ValidationError`. This is what `tollgate prices --update` runs.
 */
export function updatePriceData(options: PriceUpdateOptions = {}): Promise<PriceUpdateResult> {
  return runPriceUpdate(normalizePriceUpdateOptions(options, 'options'));
}

export async function runPriceUpdate(
  options: NormalizedPriceUpdateOptions,
  signal?: AbortSignal,
): Promise<PriceUpdateResult> {
  const url = shownUrl(options.url);
  const retrievedAt = Date.now();
  let providers: ReturnType<typeof parsePriceData>;
  try {
    const text = await fetchPriceData(options.url, {
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      ...(signal ? { signal } : {}),
    });
    providers = parsePriceData(text);
    if (signal?.aborted) throw new Error('the budget was closed');
    const before = await currentPriceData();
    const changes = comparePriceData(before, providers);
    if (signal?.aborted) throw new Error('the budget was closed');
    if (!usePriceData({ source: 'fetched', retrievedAt, location: url, providers }))
      throw new Error(`newer data (${loadedPriceData()?.location}) is in use already`);
    const result = {
      updated: true,
      url,
      summary: summarizePriceData(providers, new Date(retrievedAt)),
      changes,
    };
    if (options.cacheFile === undefined) return result;
    try {
      await writePriceDataFile(options.cacheFile, text);
      return { ...result, cacheFile: options.cacheFile };
    } catch (error) {
      return { ...result, cacheError: messageOf(error) };
    }
  } catch (error) {
    return { updated: false, url, error: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${message}${cause}`;
}
