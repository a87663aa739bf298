import type { PriceCatalog, PriceComponent, PriceInUsd, Rate, ResolvedPrice } from '@tollgate/core';

/** The Message Batches API bills every token at half the standard price (cache prices included). */
export const BATCH_PRICE_FACTOR = 0.5;
/** Suffix of the model id batch results are priced and recorded under. */
export const BATCH_MODEL_SUFFIX = '@batch';

/** Price fields per component and how many units their amount is for; token components are discounted. */
const FIELDS: Partial<
  Record<PriceComponent, { field: Exclude<keyof PriceInUsd, 'tiers'>; per: number; discounted: boolean }>
> = {
  input: { field: 'inputPerMTok', per: 1_000_000, discounted: true },
  output: { field: 'outputPerMTok', per: 1_000_000, discounted: true },
  cacheRead: { field: 'cacheReadPerMTok', per: 1_000_000, discounted: true },
  cacheWrite: { field: 'cacheWritePerMTok', per: 1_000_000, discounted: true },
  cacheWrite1h: { field: 'cacheWrite1hPerMTok', per: 1_000_000, discounted: true },
  inputAudio: { field: 'inputAudioPerMTok', per: 1_000_000, discounted: true },
  outputAudio: { field: 'outputAudioPerMTok', per: 1_000_000, discounted: true },
  webSearch: { field: 'perThousandWebSearches', per: 1_000, discounted: false },
  request: { field: 'perRequest', per: 1, discounted: false },
};

const registered = new WeakMap<PriceCatalog, Map<string, string>>();

/**
 * The model id under which a batch request's cost is estimated and recorded:
 * `<model>@batch`, priced at half the model's standard token prices (web searches keep
 * their price). The price is derived from the catalog's own price for the model and
 * added to the catalog's app layer once (again when the standard price changes); a
 * `<model>@batch` price the app set itself is left as it is. A model the catalog does
 * not know keeps its id and is priced by the fallback layers, undiscounted.
 */
export function batchModelId(
  catalog: PriceCatalog,
  provider: string,
  model: string,
  at: Date = new Date(),
): string {
  const standard = catalog.resolve(provider, model, at);
  if (!standard || standard.local) return model;
  const id = `${standard.model}${BATCH_MODEL_SUFFIX}`;
  const existing = catalog.resolve(provider, id, at);
  const known = registered.get(catalog) ?? new Map<string, string>();
  registered.set(catalog, known);
  const key = `${provider}\u0000${id}`;
  if (existing?.source === 'user' && !known.has(key)) return id;
  const prices = discountedPrices(standard);
  const signature = JSON.stringify(prices);
  if (known.get(key) !== signature) {
    catalog.setPrice({
      provider: standard.provider,
      model: id,
      service: standard.service,
      prices,
      ...(standard.contextWindow ? { contextWindow: standard.contextWindow } : {}),
      ...(standard.maxOutputTokens ? { maxOutputTokens: standard.maxOutputTokens } : {}),
    });
    known.set(key, signature);
  }
  return id;
}

function discountedPrices(standard: ResolvedPrice): PriceInUsd {
  const prices = toUsd(standard.price.rates);
  const tiers = standard.price.tiers.map((tier) => ({
    aboveInputTokens: tier.aboveInputTokens,
    prices: toUsd(tier.rates),
  }));
  return tiers.length > 0 ? { ...prices, tiers } : prices;
}

function toUsd(rates: Readonly<Partial<Record<PriceComponent, Rate>>>): Omit<PriceInUsd, 'tiers'> {
  const prices: Omit<PriceInUsd, 'tiers'> = {};
  for (const [component, rate] of Object.entries(rates) as [PriceComponent, Rate][]) {
    const mapping = FIELDS[component];
    if (!mapping || !rate) continue;
    const nanoPerGroup = (rate.nanoUsd * mapping.per) / rate.per;
    const factor = mapping.discounted ? BATCH_PRICE_FACTOR : 1;
    // Nine decimals are what the catalog keeps (nano-USD); rounding here only drops float noise.
    prices[mapping.field] = Number(((nanoPerGroup * factor) / 1e9).toFixed(10));
  }
  return prices;
}
