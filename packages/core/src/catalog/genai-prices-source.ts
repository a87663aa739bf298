import type { ModelPrice as LibraryPrice, TieredPrices } from '@pydantic/genai-prices';
import { loadOnFirstUse } from '../load-on-first-use';
import { usdToNano } from '../money/money';
import type { ServiceType } from '../usage';
import type { ModelPrice, PriceComponent, Rates } from './model-price';

/** The library's price keys that tollgate charges, with the units each amount is for. */
const LIBRARY_KEYS: Record<string, { component: PriceComponent; per: number }> = {
  input_mtok: { component: 'input', per: 1_000_000 },
  output_mtok: { component: 'output', per: 1_000_000 },
  cache_read_mtok: { component: 'cacheRead', per: 1_000_000 },
  cache_write_mtok: { component: 'cacheWrite', per: 1_000_000 },
  cache_write_1h_mtok: { component: 'cacheWrite1h', per: 1_000_000 },
  input_audio_mtok: { component: 'inputAudio', per: 1_000_000 },
  output_audio_mtok: { component: 'outputAudio', per: 1_000_000 },
  audio_hours: { component: 'audio', per: 3_600_000 },
  input_document_kpages: { component: 'page', per: 1_000 },
  web_searches_kcount: { component: 'webSearch', per: 1_000 },
  requests_kcount: { component: 'request', per: 1_000 },
};

export interface LibraryModel {
  provider: string;
  model: string;
  service: ServiceType;
  price: ModelPrice;
  contextWindow?: number;
  /** True when the library's price depends on the date or time of day, so it must not be cached. */
  conditional: boolean;
}

/**
 * Looks a model up in the bundled `@pydantic/genai-prices` data (offline: the data
 * ships inside the package and is never fetched at run time).
 */
export function lookUpLibraryModel(provider: string, model: string, at: Date): LibraryModel | undefined {
  // Its data is large: loaded when the first model falls through the app's and tollgate's own prices.
  const { calcPrice } = loadOnFirstUse<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  let result: ReturnType<typeof calcPrice>;
  try {
    result = calcPrice({}, model, { providerId: provider, timestamp: at });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  const price = convertLibraryPrice(result.model_price);
  return {
    provider: result.provider.id,
    model: result.model.id,
    service: inferService(price),
    price,
    ...(result.model.context_window ? { contextWindow: result.model.context_window } : {}),
    conditional: Array.isArray(result.model.prices),
  };
}

function convertLibraryPrice(libraryPrice: LibraryPrice): ModelPrice {
  const base: Partial<Record<PriceComponent, { nanoUsd: number; per: number }>> = {};
  const thresholds = new Set<number>();
  for (const [key, value] of Object.entries(libraryPrice)) {
    const mapping = LIBRARY_KEYS[key];
    if (!mapping || value === undefined) continue;
    if (typeof value === 'number') {
      base[mapping.component] = { nanoUsd: usdToNano(value), per: mapping.per };
    } else {
      base[mapping.component] = { nanoUsd: usdToNano(value.base), per: mapping.per };
      for (const tier of value.tiers) thresholds.add(tier.start);
    }
  }
  const tiers = [...thresholds]
    .sort((a, b) => a - b)
    .map((threshold) => ({ aboveInputTokens: threshold, rates: ratesAtThreshold(libraryPrice, threshold) }));
  return { rates: base, tiers };
}

function ratesAtThreshold(libraryPrice: LibraryPrice, threshold: number): Rates {
  const rates: Partial<Record<PriceComponent, { nanoUsd: number; per: number }>> = {};
  for (const [key, value] of Object.entries(libraryPrice)) {
    const mapping = LIBRARY_KEYS[key];
    if (!mapping || value === undefined || typeof value === 'number') continue;
    rates[mapping.component] = { nanoUsd: usdToNano(tieredPriceAt(value, threshold)), per: mapping.per };
  }
  return rates;
}

function tieredPriceAt(value: TieredPrices, threshold: number): number {
  let price = value.base;
  for (const tier of value.tiers) if (tier.start <= threshold) price = tier.price;
  return price;
}

function inferService(price: ModelPrice): ServiceType {
  const { rates } = price;
  if (rates.audio && !rates.output) return 'stt';
  if (rates.page && !rates.output) return 'ocr';
  if (rates.input && !rates.output) return 'embedding';
  return 'llm';
}

/** The bundled data's provider for an id (or one of its aliases), with the ids of its models. */
export function lookUpLibraryProvider(provider: string): { id: string; models: string[] } | undefined {
  const { findProvider } = loadOnFirstUse<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  let found: ReturnType<typeof findProvider>;
  try {
    found = findProvider({ providerId: provider });
  } catch {
    return undefined;
  }
  return found ? { id: found.id, models: found.models.map((model) => model.id) } : undefined;
}

/** The bundled data's provider of a model id (by the data's own model matching), if any. */
export function libraryProviderOfModel(model: string): string | undefined {
  const { findProvider } = loadOnFirstUse<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  try {
    return findProvider({ modelId: model })?.id;
  } catch {
    return undefined;
  }
}

/**
 * The models of a provider (by id or alias) in the `@pydantic/genai-prices` data in use: the
 * bundled data, or fresh data from `prices.update` or a cache file. Empty for a provider it does
 * not know. Loads the bundled data.
 */
export function priceDataModels(provider: string): { id: string; deprecated: boolean }[] {
  const { findProvider } = loadOnFirstUse<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  try {
    return (findProvider({ providerId: provider })?.models ?? []).map((model) => ({
      id: model.id,
      deprecated: model.deprecated === true,
    }));
  } catch {
    return [];
  }
}

/**
 * The provider an OpenAI-compatible API belongs to, from its base URL, as the bundled
 * `@pydantic/genai-prices` data names it: the first provider whose `api_pattern` matches the
 * start of the URL (`https://api.groq.com/openai/v1` is `groq`, `https://openrouter.ai/api/v1`
 * `openrouter`, `https://my-resource.openai.azure.com/openai` `azure`). `undefined` for a URL
 * that is not one or that no provider's pattern matches. Loads the bundled data.
 */
export function providerOfApiUrl(baseURL: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const { findProvider } = loadOnFirstUse<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  try {
    // The patterns are anchored at the start and case-sensitive: `href` has the scheme and host in lower case.
    return findProvider({ providerApiUrl: url.href })?.id;
  } catch {
    return undefined;
  }
}
