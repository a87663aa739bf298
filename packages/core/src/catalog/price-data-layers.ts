import {
  bundledPriceData,
  bundledPriceDataVersion,
  loadedPriceData,
  type PriceDataSource,
} from './genai-prices-data';
import { type PriceDataSummary, summarizePriceData } from './price-data-summary';
import { TOLLGATE_PRICES_AS_OF } from './tollgate-prices';

/** How recent each layer of the price catalog is (the app's own prices are the app's to date). */
export interface PriceDataLayers {
  /** tollgate's own layer: the day its prices were last checked against the providers' pages. */
  readonly tollgate: { readonly asOf: string };
  /** The data bundled in `@pydantic/genai-prices`: its package version and what it holds. */
  readonly bundled: PriceDataSummary & { readonly version: string | undefined };
  /** The genai-prices data in use in place of the bundled data (from a cache file or a fetch), if any. */
  readonly loaded?: PriceDataSummary & {
    readonly source: Exclude<PriceDataSource, 'bundled'>;
    /** The cache file or the URL (without credentials or query). */
    readonly location: string;
    /** ms since epoch: when the data was fetched. */
    readonly retrievedAt: number;
  };
}

/** The as-of dates of every layer of the price catalog, and which genai-prices data is in use. */
export async function priceDataLayers(at: Date = new Date()): Promise<PriceDataLayers> {
  const bundled = { version: bundledPriceDataVersion(), ...summarizePriceData(await bundledPriceData(), at) };
  const loaded = loadedPriceData();
  return {
    tollgate: { asOf: TOLLGATE_PRICES_AS_OF },
    bundled,
    ...(loaded === undefined
      ? {}
      : {
          loaded: {
            source: loaded.source,
            location: loaded.location,
            retrievedAt: loaded.retrievedAt,
            ...summarizePriceData(loaded.providers, at),
          },
        }),
  };
}
