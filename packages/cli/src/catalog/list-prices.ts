import {
  type PriceCatalog,
  type PriceComponent,
  type PriceSource,
  priceDataModels,
  type Rate,
  type ResolvedPrice,
  type ServiceType,
} from '@tollgate/core';
import { priceInUsd } from './price-in-usd';

/** One model's price in the `prices` listing and its JSON output. */
export interface PriceRow {
  readonly provider: string;
  readonly model: string;
  readonly service: ServiceType;
  readonly source: PriceSource;
  /** Runs on the app's own hardware: $0 on purpose. */
  readonly local: boolean;
  /** USD, with the field names of a price in the config (`inputPerMTok`, `perAudioMinute`, …). */
  readonly prices: ReturnType<typeof priceInUsd>;
  /** The exact rates: `nanoUsd` per `per` units (tokens, audio milliseconds, characters, …). */
  readonly rates: Readonly<Partial<Record<PriceComponent, Rate>>>;
  /** Long-context tiers: above this many input tokens, these prices apply to the whole call. */
  readonly tiers: readonly {
    readonly aboveInputTokens: number;
    readonly prices: ReturnType<typeof priceInUsd>;
  }[];
}

/**
 * The providers whose whole bundled price list is shown: those of tollgate's own adapters
 * (`@tollgate/anthropic`, `openai`, `mistral`, `google`); others are shown with `--provider`.
 */
export const LISTED_PROVIDERS = ['anthropic', 'openai', 'mistral', 'google'] as const;

export interface ListPricesOptions {
  /** Case-insensitive substring of the model id. */
  readonly model?: string;
  readonly provider?: string;
  readonly service?: ServiceType;
  /** Include models the bundled data marks deprecated. */
  readonly includeDeprecated?: boolean;
  readonly at: Date;
}

/**
 * Every price the catalog would charge: the app's and tollgate's own entries, and the
 * bundled `@pydantic/genai-prices` models of the listed providers — each resolved
 * through the catalog, so the figures are exactly what tollgate charges. A model id
 * that matches no listed row is resolved directly (dated ids and aliases), by the listed
 * providers and by the provider the catalog infers from the id, as `estimate` and a gate do.
 */
export function listPrices(catalog: PriceCatalog, options: ListPricesOptions): PriceRow[] {
  const rows = new Map<string, PriceRow>();
  const add = (resolved: ResolvedPrice | undefined) => {
    if (!resolved) return;
    const id = `${resolved.provider}\u0000${resolved.model}`;
    if (!rows.has(id)) rows.set(id, priceRow(resolved));
  };
  const providers = new Set<string>(options.provider ? [options.provider] : LISTED_PROVIDERS);
  for (const entry of catalog.entries()) {
    providers.add(entry.provider);
    add(tryResolve(catalog, entry.provider, entry.model, options.at));
  }
  for (const providerId of options.provider ? [options.provider] : LISTED_PROVIDERS) {
    // Core's data, fresh from a cache file when one was loaded, not this package's bundled copy.
    for (const model of priceDataModels(providerId)) {
      if (model.deprecated && !options.includeDeprecated) continue;
      add(tryResolve(catalog, providerId, model.id, options.at));
    }
  }
  let list = [...rows.values()].filter((row) => matches(row, options));
  if (list.length === 0 && options.model) {
    // A dated id or an alias resolves to its canonical model, whose id may not contain what was typed.
    const direct = new Map<string, PriceRow>();
    const inferred = options.provider ? undefined : providerOf(catalog, options.model, options.at);
    if (inferred !== undefined) providers.add(inferred);
    for (const provider of providers) {
      const resolved = tryResolve(catalog, provider, options.model, options.at);
      if (resolved) direct.set(`${resolved.provider}\u0000${resolved.model}`, priceRow(resolved));
    }
    list = [...direct.values()].filter((row) => matches(row, { ...options, model: undefined }));
  }
  return list.sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      a.service.localeCompare(b.service) ||
      a.model.localeCompare(b.model),
  );
}

function matches(row: PriceRow, options: ListPricesOptions): boolean {
  if (options.provider && row.provider !== options.provider.toLowerCase()) return false;
  if (options.service && row.service !== options.service) return false;
  if (options.model && !row.model.toLowerCase().includes(options.model.toLowerCase())) return false;
  return true;
}

function tryResolve(
  catalog: PriceCatalog,
  provider: string,
  model: string,
  at: Date,
): ResolvedPrice | undefined {
  try {
    return catalog.resolve(provider, model, at);
  } catch {
    // An id the catalog refuses (too long, `$`-prefixed) has no price to list.
    return undefined;
  }
}

function providerOf(catalog: PriceCatalog, model: string, at: Date): string | undefined {
  try {
    return catalog.providerOf(model, at);
  } catch {
    return undefined;
  }
}

function priceRow(resolved: ResolvedPrice): PriceRow {
  return {
    provider: resolved.provider,
    model: resolved.model,
    service: resolved.service,
    source: resolved.source,
    local: resolved.local,
    prices: priceInUsd(resolved.price.rates),
    rates: resolved.price.rates,
    tiers: resolved.price.tiers.map((tier) => ({
      aboveInputTokens: tier.aboveInputTokens,
      prices: priceInUsd(tier.rates),
    })),
  };
}
