import {
  orDefault,
  validateArray,
  validateBoolean,
  validateCount,
  validateDate,
  validateId,
  validateOneOf,
  validatePlainObject,
} from '../errors/validation';
import { ValidationError } from '../errors/validation-error';
import { optionKeys, rejectUnknownKeys } from '../errors/reject-unknown-keys';
import { SERVICE_TYPES, type ServiceType } from '../usage';
import { priceDataGeneration } from './genai-prices-data';
import { libraryProviderOfModel, lookUpLibraryModel, lookUpLibraryProvider } from './genai-prices-source';
import type { ModelPrice, PriceInUsd, ResolvedPrice } from './model-price';
import { toModelPrice } from './to-model-price';
import {
  type CatalogEntry,
  DEFAULT_MAX_OUTPUT_TOKENS,
  LOCAL_PROVIDERS,
  MAX_OUTPUT_TOKENS_BY_PREFIX,
  TOLLGATE_PRICES,
} from './tollgate-prices';

/** A price the app sets at run time (a negotiated discount, a fine-tuned model, a private deployment). */
export interface UserPrice {
  provider: string;
  model: string;
  service?: ServiceType;
  prices: PriceInUsd;
  aliases?: string[];
  local?: boolean;
  contextWindow?: number;
  maxOutputTokens?: number;
  effectiveFrom?: string;
}

interface PreparedEntry {
  entry: CatalogEntry;
  price: ModelPrice;
  effectiveFrom: number;
}

const USER_PRICE_KEYS = optionKeys<UserPrice>({
  provider: true,
  model: true,
  service: true,
  prices: true,
  aliases: true,
  local: true,
  contextWindow: true,
  maxOutputTokens: true,
  effectiveFrom: true,
});
const DATED_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const EMPTY_PRICE: ModelPrice = { rates: {}, tiers: [] };

/**
 * Model prices in three layers: the app's own prices, then tollgate's, then the
 * bundled `@pydantic/genai-prices` data. Ids resolve through aliases and dated ids.
 * Local providers (Ollama) are $0 and marked `local`.
 */
export class PriceCatalog {
  private readonly userEntries = new Map<string, PreparedEntry[]>();
  private readonly tollgateEntries = new Map<string, PreparedEntry[]>();
  private readonly cache = new Map<string, ResolvedPrice | null>();
  /** The cache again by the ids exactly as callers spell them: a hit needs no lower-casing, key or check. */
  private readonly cacheByExactId = new Map<string, Map<string, ResolvedPrice | null>>();
  private readonly knownProviders = new Map<string, boolean>();
  /** The genai-prices data the caches were filled from: fresh data (`prices.update`) empties them. */
  private dataGeneration = priceDataGeneration();

  constructor(options: { prices?: UserPrice[] } = {}) {
    for (const entry of TOLLGATE_PRICES) addEntry(this.tollgateEntries, entry);
    validatePlainObject(options, 'options');
    const prices = options.prices === undefined ? [] : validateArray(options.prices, 'options.prices');
    for (const price of prices) this.setPrice(price as UserPrice);
  }

  /** Adds or replaces a model's price (validated). Takes effect for the next lookup. */
  setPrice(price: UserPrice): void {
    validatePlainObject(price, 'price');
    rejectUnknownKeys(price, USER_PRICE_KEYS, 'price');
    if (price.aliases !== undefined && !Array.isArray(price.aliases)) {
      throw new ValidationError({ field: 'price.aliases', message: 'must be an array' });
    }
    const entry: CatalogEntry = {
      provider: validateId(price.provider, 'price.provider'),
      model: validateId(price.model, 'price.model'),
      service: validateOneOf(orDefault<unknown>(price.service, 'llm'), 'price.service', SERVICE_TYPES),
      prices: validatePlainObject(price.prices, 'price.prices') as PriceInUsd,
      aliases: (price.aliases ?? []).map((alias, index) => validateId(alias, `price.aliases[${index}]`)),
      ...(price.local !== undefined && validateBoolean(price.local, 'price.local') ? { local: true } : {}),
      ...(price.contextWindow !== undefined
        ? { contextWindow: validatePositiveCount(price.contextWindow, 'price.contextWindow') }
        : {}),
      ...(price.maxOutputTokens !== undefined
        ? { maxOutputTokens: validatePositiveCount(price.maxOutputTokens, 'price.maxOutputTokens') }
        : {}),
      ...(price.effectiveFrom !== undefined
        ? { effectiveFrom: validateEffectiveFrom(price.effectiveFrom) }
        : {}),
    };
    addEntry(this.userEntries, entry);
    this.clearCaches();
  }

  private clearCaches(): void {
    this.cache.clear();
    this.cacheByExactId.clear();
    this.knownProviders.clear();
    this.dataGeneration = priceDataGeneration();
  }

  /** The price of a model at a time, or `undefined` when no layer knows it. */
  resolve(provider: string, model: string, at: Date = new Date()): ResolvedPrice | undefined {
    if (this.dataGeneration !== priceDataGeneration()) this.clearCaches();
    // Ids found here were checked when they were cached.
    const known = this.cacheByExactId.get(provider)?.get(model);
    if (known !== undefined) {
      validateDate(at, 'at');
      return known ?? undefined;
    }
    validateId(provider, 'provider');
    validateId(model, 'model');
    validateDate(at, 'at');
    const key = `${provider.toLowerCase()}\u0000${model.toLowerCase()}`;
    let cached = this.cache.get(key);
    if (cached === undefined) {
      const { resolved, cacheable } = this.lookUp(provider.toLowerCase(), model.toLowerCase(), at);
      if (!cacheable) return resolved;
      cached = resolved ?? null;
      this.cache.set(key, cached);
    }
    let models = this.cacheByExactId.get(provider);
    if (!models) {
      models = new Map();
      this.cacheByExactId.set(provider, models);
    }
    models.set(model, cached);
    return cached ?? undefined;
  }

  /** Whether any layer prices models of this provider (the bundled data knows it by id or alias). */
  knowsProvider(provider: string): boolean {
    if (this.dataGeneration !== priceDataGeneration()) this.clearCaches();
    const id = provider.toLowerCase();
    let known = this.knownProviders.get(id);
    if (known === undefined) {
      known =
        LOCAL_PROVIDERS.includes(id) ||
        this.entries().some((entry) => entry.provider.toLowerCase() === id) ||
        lookUpLibraryProvider(id) !== undefined;
      this.knownProviders.set(id, known);
    }
    return known;
  }

  /**
   * The provider that prices a model id, for a request that names none: the app's and
   * tollgate's layers first (ids and aliases), then the price data's own model matching, kept
   * only when that provider really prices the model. Loads the price data.
   */
  providerOf(model: string, at: Date = new Date()): string | undefined {
    const id = model.toLowerCase();
    for (const entry of this.entries()) {
      if (entry.model.toLowerCase() === id || entry.aliases?.some((alias) => alias.toLowerCase() === id))
        return entry.provider;
    }
    const provider = libraryProviderOfModel(model);
    if (provider === undefined) return undefined;
    try {
      return this.resolve(provider, model, at) ? provider : undefined;
    } catch {
      return undefined;
    }
  }

  /** The providers the app's and tollgate's layers price, for suggestions. */
  providers(): string[] {
    return [...new Set([...LOCAL_PROVIDERS, ...this.entries().map((entry) => entry.provider)])];
  }

  /** The model ids (and aliases) every layer knows for a provider, for suggestions. */
  modelsOf(provider: string): string[] {
    const id = provider.toLowerCase();
    const models = new Set<string>();
    for (const entry of this.entries())
      if (entry.provider.toLowerCase() === id)
        for (const model of [entry.model, ...(entry.aliases ?? [])]) models.add(model);
    for (const model of lookUpLibraryProvider(id)?.models ?? []) models.add(model);
    return [...models];
  }

  /** Every model tollgate's own layer and the app's layer know, for listings. */
  entries(): CatalogEntry[] {
    return [...collect(this.userEntries), ...collect(this.tollgateEntries)];
  }

  private lookUp(
    provider: string,
    model: string,
    at: Date,
  ): { resolved?: ResolvedPrice; cacheable: boolean } {
    const datedEntries = this.hasEffectiveDates(provider, model);
    for (const [layer, source] of [
      [this.userEntries, 'user'],
      [this.tollgateEntries, 'tollgate'],
    ] as const) {
      const prepared = findEntry(layer, provider, model, at);
      if (prepared) return { resolved: fromEntry(prepared, source), cacheable: !datedEntries };
    }
    if (LOCAL_PROVIDERS.includes(provider)) {
      return {
        resolved: { provider, model, service: 'llm', price: EMPTY_PRICE, source: 'tollgate', local: true },
        cacheable: true,
      };
    }
    const library = lookUpLibraryModel(provider, model, at);
    if (!library) return { cacheable: !datedEntries };
    return {
      resolved: {
        provider: library.provider,
        model: library.model,
        service: library.service === 'llm' ? serviceFromModelName(library.model) : library.service,
        price: library.price,
        source: 'genai-prices',
        local: false,
        ...(library.contextWindow ? { contextWindow: library.contextWindow } : {}),
        maxOutputTokens: maxOutputTokensFor(library.model),
      },
      cacheable: !library.conditional && !datedEntries,
    };
  }

  private hasEffectiveDates(provider: string, model: string): boolean {
    for (const layer of [this.userEntries, this.tollgateEntries]) {
      const candidates =
        layer.get(`${provider}\u0000${model}`) ??
        layer.get(`${provider}\u0000${model.replace(DATED_SUFFIX, '')}`);
      if (candidates?.some((candidate) => candidate.effectiveFrom > 0)) return true;
    }
    return false;
  }
}

function validatePositiveCount(value: unknown, field: string): number {
  const count = validateCount(value, field);
  if (count === 0) throw new ValidationError({ field, message: 'must be at least 1' });
  return count;
}

function validateEffectiveFrom(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ValidationError({
      field: 'price.effectiveFrom',
      message: 'must be an ISO date string such as 2026-01-01',
    });
  }
  return value;
}

function addEntry(layer: Map<string, PreparedEntry[]>, entry: CatalogEntry): void {
  const prepared: PreparedEntry = {
    entry,
    price: toModelPrice(entry.prices, `price(${entry.provider}/${entry.model})`),
    effectiveFrom: entry.effectiveFrom ? Date.parse(entry.effectiveFrom) : 0,
  };
  if (Number.isNaN(prepared.effectiveFrom)) throw new TypeError(`Invalid effectiveFrom for ${entry.model}`);
  for (const id of [entry.model, ...(entry.aliases ?? [])]) {
    const key = `${entry.provider.toLowerCase()}\u0000${id.toLowerCase()}`;
    const list = (layer.get(key) ?? []).filter(
      (existing) => existing.effectiveFrom !== prepared.effectiveFrom,
    );
    list.push(prepared);
    list.sort((a, b) => b.effectiveFrom - a.effectiveFrom);
    layer.set(key, list);
  }
}

function findEntry(
  layer: Map<string, PreparedEntry[]>,
  provider: string,
  model: string,
  at: Date,
): PreparedEntry | undefined {
  const candidates =
    layer.get(`${provider}\u0000${model}`) ??
    layer.get(`${provider}\u0000${model.replace(DATED_SUFFIX, '')}`);
  return candidates?.find((candidate) => candidate.effectiveFrom <= at.getTime());
}

function collect(layer: Map<string, PreparedEntry[]>): CatalogEntry[] {
  const unique = new Set<CatalogEntry>();
  for (const list of layer.values()) for (const prepared of list) unique.add(prepared.entry);
  return [...unique];
}

function fromEntry(prepared: PreparedEntry, source: 'user' | 'tollgate'): ResolvedPrice {
  const { entry } = prepared;
  return {
    provider: entry.provider,
    model: entry.model,
    service: entry.service,
    price: prepared.price,
    source,
    local: entry.local === true,
    ...(entry.contextWindow ? { contextWindow: entry.contextWindow } : {}),
    maxOutputTokens: entry.maxOutputTokens ?? maxOutputTokensFor(entry.model),
  };
}

function serviceFromModelName(model: string): ServiceType {
  if (model.includes('transcribe') || model.includes('whisper')) return 'stt';
  if (model.includes('tts')) return 'tts';
  if (model.includes('embed')) return 'embedding';
  if (model.includes('image') || model.startsWith('dall-e')) return 'image';
  return 'llm';
}

export function maxOutputTokensFor(model: string): number {
  for (const [prefix, tokens] of MAX_OUTPUT_TOKENS_BY_PREFIX) if (model.startsWith(prefix)) return tokens;
  return DEFAULT_MAX_OUTPUT_TOKENS;
}
